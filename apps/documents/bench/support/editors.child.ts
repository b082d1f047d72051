import { createHash } from 'node:crypto';
import { setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { childJob, nextParentMessage, roundsAtParentCommand, tellParent } from '@remedy/testing';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';

/** A slice of the editors: where each one's socket goes, its token, and the pace of its edits. */
export interface EditorsJob {
  documentId: string;
  /** One entry per editor of this process. */
  editors: Array<{ wsUrl: string; token: string }>;
  /** Each editor edits once every this many milliseconds. */
  editIntervalMs: number;
  seconds: number;
  /** The process's nice value (0: as the bench runner; up to 19: the service's processes run first). */
  nice: number;
}

/**
 * Parent → child: `join` the next share of its editors (every process at once, round after round, so each
 * process's editors join among the others' and reach the servers' fan-out order at random places); after `ready`,
 * start editing at `startAt` (epoch ms); then `expect` every edit sent.
 */
export type EditorsCommand =
  | { type: 'join'; round: number; rounds: number }
  | { type: 'go'; startAt: number }
  | { type: 'expect'; sent: Record<string, number>; settleMs: number };

/** What one process measured once every editor heard every other editor's edits (or the settle time ran out). */
export interface EditorsResult {
  /**
   * Milliseconds from each edit's send to its frame's arrival at each other editor of this process: the socket's
   * message event, stamped before the frame is decoded or applied.
   */
  latenciesMs: number[];
  /**
   * Of those, the edits this process's own editors sent (both ends stamped in this process): what the process's
   * CPU share does to the send's stamp as well as the arrival's, if anything, is its own.
   */
  withinLatenciesMs: number[];
  /** The same deliveries, to the edit applied to the other editor's Y.Doc (the batch holding it committed). */
  withinAppliedLatenciesMs: number[];
  /** This process's event-loop delay while editing, p99 and max (ms): how late it read its sockets. */
  eventLoopDelayMs: { p99: number; max: number };
  /** Transactions the editors applied received frames in, and the frames (a busy process batches more). */
  batches: number;
  batchedFrames: number;
  /** Edits of others an editor never received (sum over this process's editors). */
  lost: number;
  duplicates: number;
  /** Sync frames received after the first sync: count and bytes on the wire (the JSON frame as sent). */
  updateFrames: number;
  updateFrameBytes: number;
  /** Sync frames this process's editors sent for their edits, and their bytes. */
  sentFrames: number;
  sentFrameBytes: number;
  saved: number;
  errorCodes: Record<string, number>;
  closedByServer: Record<string, number>;
  /** sha256 of each editor's text at the end: one distinct value when the copies converged. */
  textHashes: string[];
  textCharacters: number;
  cpuSeconds: number;
}

export type EditorsReport =
  /** Listening for `join`: the parent's commands sent before would be lost. */
  | { type: 'started' }
  /** Its share of a round joined, each editor holding the document: after the last, it waits for `go`. */
  | { type: 'joined'; round: number }
  | { type: 'sent'; sent: Record<string, number> }
  | { type: 'result'; result: EditorsResult };

/** Error codes after which an edit may not have been stored (the page reopens the document after these). */
const RESYNC_AFTER = new Set(['unavailable', 'internal', 'too-many-messages', 'not-saved']);

/** Milliseconds on a clock every process on the machine shares (epoch based, sub-millisecond). */
const now = (): number => performance.timeOrigin + performance.now();

/**
 * One editor as the page is one: a Y.Doc synced over /collab with y-protocols, each local edit sent as a sync
 * update message. An edit is named by the Yjs ID of the character it inserts (client:clock), which every copy
 * reads out of the update it receives: no marker travels in the text, so the bytes on the wire are a keystroke's.
 */
class BenchEditor {
  readonly doc = new Y.Doc();
  /** When each edit of another editor arrived (its frame's message event), and when it was applied. */
  readonly received = new Map<string, number>();
  readonly applied = new Map<string, number>();
  batches = 0;
  batchedFrames = 0;
  duplicates = 0;
  updateFrames = 0;
  updateFrameBytes = 0;
  sentFrames = 0;
  sentFrameBytes = 0;
  saved = 0;
  readonly errorCodes: Record<string, number> = {};
  closeCode: number | null = null;
  private synced = false;
  private onSynced: (() => void) | undefined;
  private socket!: WebSocket;
  /** Frames read from the socket and not applied yet, each with the time its message event fired. */
  private inbox: Array<{ at: number; data: Buffer }> = [];
  /** Edits whose frames the current batch carries: stamped `applied` once the batch's transaction ended. */
  private readonly arrivedInBatch: string[] = [];

  constructor(
    private readonly wsUrl: string,
    private readonly token: string,
    private readonly documentId: string,
  ) {}

  /** Opens the socket, signs in, opens the document and resolves once it holds the server's copy. */
  async join(): Promise<void> {
    // Opened here, not at construction: a socket opened long before its sign-in is closed by the server's
    // sign-in timeout (COLLAB_AUTH_TIMEOUT_MS) while the editors before it join.
    this.socket = new WebSocket(`${this.wsUrl}/collab`);
    this.socket.on('message', (data: Buffer) => this.arrive(data));
    this.socket.on('close', (code) => (this.closeCode = code));
    await new Promise<void>((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    await this.answer('authenticated', { type: 'auth', token: this.token });
    await this.answer('opened', { type: 'open', documentId: this.documentId });
    const synced = new Promise<void>((resolve, reject) => {
      this.onSynced = resolve;
      this.socket.once('close', (code) => reject(new Error(`socket closed (${code}) before the first sync`)));
    });
    const step1 = encoding.createEncoder();
    syncProtocol.writeSyncStep1(step1, this.doc);
    this.sendSync(encoding.toUint8Array(step1), false);
    await synced;
  }

  /** Types one character at a random place; returns the edit's name (the inserted character's Yjs ID). */
  edit(): string {
    const text = this.doc.getText('content');
    const name = `${this.doc.clientID}:${Y.getState(this.doc.store, this.doc.clientID)}`;
    // The page's doc has an 'update' listener all the time and ignores the server's updates in it, but while any
    // listener is attached Yjs encodes every transaction's update for it, work in proportion to the document's
    // writers (200 here). A tab pays that once per remote update; a process of 50 editors paid it 50 times, a
    // third to a half of its CPU per frame (ADR 0093). Attached for its own edit only, the same messages go out.
    this.doc.on('update', this.sendEdit);
    try {
      text.insert(
        Math.floor(Math.random() * (text.length + 1)),
        'abcdefghij'[Math.floor(Math.random() * 10)]!,
      );
    } finally {
      this.doc.off('update', this.sendEdit);
    }
    return name;
  }

  close(): void {
    this.socket.close();
  }

  /** Sends a command and resolves on the first frame of type `type` (a protocol step of join). */
  private answer(type: string, command: object): Promise<void> {
    return new Promise((resolve, reject) => {
      const listener = (data: Buffer): void => {
        const frame = JSON.parse(data.toString()) as { type: string };
        if (frame.type === 'error') reject(new Error(`join refused: ${data.toString()}`));
        if (frame.type !== type) return;
        this.socket.off('message', listener);
        resolve();
      };
      this.socket.on('message', listener);
      this.socket.once('close', (code) => reject(new Error(`socket closed (${code}) waiting for ${type}`)));
      this.socket.send(JSON.stringify(command));
    });
  }

  /** This editor's own edit, as the page sends it: a sync update message. */
  private readonly sendEdit = (update: Uint8Array): void => {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.sendSync(encoding.toUint8Array(encoder), true);
  };

  private sendSync(message: Uint8Array, edit: boolean): void {
    const frame = JSON.stringify({
      type: 'sync',
      documentId: this.documentId,
      data: Buffer.from(message).toString('base64'),
    });
    if (edit) {
      this.sentFrames += 1;
      this.sentFrameBytes += Buffer.byteLength(frame);
    }
    this.socket.send(frame);
  }

  /**
   * A frame read from the socket: stamped now, before it is decoded, and applied with whatever else arrives before
   * the event loop's check phase. A process that keeps up applies each frame alone; one that fell behind applies
   * the frames queued meanwhile in one Yjs transaction, as a busy tab's provider effectively does, instead of one
   * transaction each (each costs work in proportion to the editors of the document: two state vectors and the
   * encoded update for the doc's 'update' listeners), which is what made 50 copies a process fall behind.
   */
  private arrive(data: Buffer): void {
    this.inbox.push({ at: now(), data });
    if (this.inbox.length === 1) setImmediate(() => this.applyInbox());
  }

  private applyInbox(): void {
    const frames = this.inbox;
    this.inbox = [];
    this.batches += 1;
    this.batchedFrames += frames.length;
    Y.transact(
      this.doc,
      () => {
        for (const { at, data } of frames) this.receive(data, at);
      },
      'server',
    );
    const at = now();
    for (const name of this.arrivedInBatch.splice(0)) this.applied.set(name, at);
  }

  private receive(data: Buffer, at: number): void {
    const frame = JSON.parse(data.toString()) as { type: string; data?: string; code?: string };
    if (frame.type === 'saved') this.saved += 1;
    else if (frame.type === 'error') {
      const code = frame.code ?? '?';
      this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
      // As the page does: open the document again, and the answer to the server's sync step 1 carries the
      // edits the server did not store. They reach the others late, and are timed so.
      if (this.synced && RESYNC_AFTER.has(code))
        this.socket.send(JSON.stringify({ type: 'open', documentId: this.documentId }));
    }
    if (frame.type !== 'sync' || frame.data === undefined) return;
    const message = new Uint8Array(Buffer.from(frame.data, 'base64'));
    const decoder = decoding.createDecoder(message);
    const kind = decoding.readVarUint(decoder);
    if (this.synced && kind !== syncProtocol.messageYjsSyncStep1) {
      if (kind === syncProtocol.messageYjsUpdate) {
        this.updateFrames += 1;
        this.updateFrameBytes += data.byteLength;
      }
      // A resync's step 2 holds the whole document: only the characters not seen before are deliveries.
      const relayed = kind === syncProtocol.messageYjsUpdate;
      for (const struct of Y.decodeUpdate(decoding.readVarUint8Array(decoder)).structs) {
        // One struct may hold a run of characters typed one after another (Yjs merges them): each is an edit.
        for (let offset = 0; offset < struct.length; offset += 1) {
          const name = `${struct.id.client}:${struct.id.clock + offset}`;
          if (!this.received.has(name)) {
            this.received.set(name, at);
            this.arrivedInBatch.push(name);
          } else if (relayed) this.duplicates += 1;
        }
      }
    }
    const reply = encoding.createEncoder();
    const read = syncProtocol.readSyncMessage(decoding.createDecoder(message), reply, this.doc, 'server');
    if (encoding.length(reply) > 0) this.sendSync(encoding.toUint8Array(reply), false);
    if (read === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true;
      this.onSynced?.();
    }
  }
}

function nextCommand<T extends EditorsCommand['type']>(
  type: T,
): Promise<Extract<EditorsCommand, { type: T }>> {
  return nextParentMessage(type);
}

async function main(): Promise<void> {
  const job = await childJob<EditorsJob>();
  // The load generator yields to the service when asked (on a deployment the editors are other machines).
  if (job.nice !== 0) setPriority(job.nice);
  const editors = job.editors.map(({ wsUrl, token }) => new BenchEditor(wsUrl, token, job.documentId));
  await roundsAtParentCommand('join', 'joined', async (round, rounds) => {
    const share = editors.slice(
      Math.floor((round * editors.length) / rounds),
      Math.floor(((round + 1) * editors.length) / rounds),
    );
    // A few at a time: 200 sign-ins at once would time the servers' start-up burst, not the edits.
    for (let first = 0; first < share.length; first += 20)
      await Promise.all(share.slice(first, first + 20).map((editor) => editor.join()));
  });

  const { startAt } = await nextCommand('go');
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const sent: Record<string, number> = {};
  const endAt = startAt + job.seconds * 1000;
  await Promise.all(
    editors.map(async (editor) => {
      // Each editor's first edit at a random point of its interval: the document's rate is even over time.
      let next = startAt + Math.random() * job.editIntervalMs;
      while (next < endAt) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
        const at = now();
        sent[editor.edit()] = at;
        next += job.editIntervalMs;
      }
    }),
  );
  await tellParent({ type: 'sent', sent } satisfies EditorsReport);

  const expected = await nextCommand('expect');
  const names = Object.keys(expected.sent);
  const own = (editor: BenchEditor, name: string): boolean => name.startsWith(`${editor.doc.clientID}:`);
  const ours = new Set(editors.map((editor) => String(editor.doc.clientID)));
  const within = (name: string): boolean => ours.has(name.slice(0, name.indexOf(':')));
  const heardAll = (): boolean =>
    editors.every((editor) => names.every((name) => own(editor, name) || editor.received.has(name)));
  const settleBy = Date.now() + expected.settleMs;
  while (!heardAll() && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 100));
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();

  const result: EditorsResult = {
    latenciesMs: [],
    withinLatenciesMs: [],
    withinAppliedLatenciesMs: [],
    eventLoopDelayMs: {
      p99: Math.round(loopDelay.percentile(99) / 1e5) / 10,
      max: Math.round(loopDelay.max / 1e5) / 10,
    },
    batches: 0,
    batchedFrames: 0,
    lost: 0,
    duplicates: 0,
    updateFrames: 0,
    updateFrameBytes: 0,
    sentFrames: 0,
    sentFrameBytes: 0,
    saved: 0,
    errorCodes: {},
    closedByServer: {},
    textHashes: [],
    textCharacters: 0,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  for (const editor of editors) {
    for (const name of names) {
      if (own(editor, name)) continue;
      const at = editor.received.get(name);
      if (at === undefined) result.lost += 1;
      else {
        const arrived = at - expected.sent[name]!;
        result.latenciesMs.push(arrived);
        if (!within(name)) continue;
        result.withinLatenciesMs.push(arrived);
        result.withinAppliedLatenciesMs.push(editor.applied.get(name)! - expected.sent[name]!);
      }
    }
    result.batches += editor.batches;
    result.batchedFrames += editor.batchedFrames;
    result.duplicates += editor.duplicates;
    result.updateFrames += editor.updateFrames;
    result.updateFrameBytes += editor.updateFrameBytes;
    result.sentFrames += editor.sentFrames;
    result.sentFrameBytes += editor.sentFrameBytes;
    result.saved += editor.saved;
    for (const [code, count] of Object.entries(editor.errorCodes))
      result.errorCodes[code] = (result.errorCodes[code] ?? 0) + count;
    if (editor.closeCode !== null)
      result.closedByServer[editor.closeCode] = (result.closedByServer[editor.closeCode] ?? 0) + 1;
    const text = editor.doc.getText('content').toJSON();
    result.textCharacters = text.length;
    result.textHashes.push(createHash('sha256').update(text).digest('hex'));
  }
  for (const editor of editors) editor.close();
  await tellParent({ type: 'result', result } satisfies EditorsReport);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
