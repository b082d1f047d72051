import { childJob } from '@remedy/testing';
import WebSocket from 'ws';

/** One socket of this process: where it connects, who it is, the session it joins, whether it speaks. */
export interface ClientSocketJob {
  wsUrl: string;
  token: string;
  sessionId: string;
  /** Sends a message every `intervalMs` once told to go (clientMessageId `<socket's sender id>-<n>`). */
  senderId?: string;
  /**
   * How far into each interval this sender speaks (default 0): speakers spread over the interval, as people
   * are, rather than all in the same millisecond.
   */
  phaseMs?: number;
}

export interface ChatClientsJob {
  sockets: ClientSocketJob[];
  /** Sockets opened, authenticated and joined at once. */
  openBatch: number;
}

export type ChatClientsCommand =
  /** Rounds are numbered from `firstRound`, so a measured run after a warm-up sends new messages, not resends. */
  | { type: 'go'; startAt: number; intervalMs: number; seconds: number; firstRound: number }
  /**
   * Every message sent in the run with its session: wait until each socket of that session has it, or `settleMs`.
   * After a warm-up (`final` false) the counts start afresh and the sockets stay open for the measured run.
   */
  | { type: 'expect'; messages: Array<{ id: string; sessionId: string }>; settleMs: number; final: boolean };

export interface ChatClientsResult {
  /** Per clientMessageId: copies received over all of this process's sockets. */
  deliveries: Record<string, number>;
  /** Copies received beyond the first by the same socket. */
  duplicates: number;
  /** WebSocket frames that carried at least one message, over all sockets. */
  messageFrames: number;
  /** Message frames received. */
  received: number;
  /** Delivery latency (the message's store time → received), ms → count. */
  latency: Record<number, number>;
  /** The same per message (clientMessageId → ms → count): the fan-out is each copy's lag behind the message's first. */
  latencyById: Record<string, Record<number, number>>;
  /** Per clientMessageId: its store time (the frames' `sentAt`), to add the send → store leg (see sendLatency). */
  storedAt: Record<string, number>;
  /** Sockets the server closed during the run, by close code. */
  closedByServer: Record<number, number>;
}

/** A message a speaker of this process sent, and when (Date.now() as it went onto the socket). */
export interface SentMessage {
  id: string;
  sessionId: string;
  text: string;
  sentAt: number;
}

export type ChatClientsReport =
  | { type: 'ready'; opened: number; failed: number }
  | { type: 'sent'; messages: SentMessage[]; refused: number }
  | { type: 'result'; result: ChatClientsResult };

interface OpenSocket {
  job: ClientSocketJob;
  socket: WebSocket;
  seen: Set<string>;
}

const sockets: OpenSocket[] = [];
const emptyResult = (): ChatClientsResult => ({
  deliveries: {},
  duplicates: 0,
  messageFrames: 0,
  received: 0,
  latency: {},
  latencyById: {},
  storedAt: {},
  closedByServer: {},
});
let result = emptyResult();
let refused = 0;
let closing = false;
/** While waiting for the run's messages: the ids each session's sockets must get, and how many copies are missing. */
let awaited: { ids: Map<string, Set<string>>; missing: number; done: () => void } | undefined;

function report(message: ChatClientsReport): void {
  process.send?.(message);
}

/** Counts one frame's messages; a batch frame (CHAT_FRAME_WINDOW_MS) carries several, in order. */
function receive(open: OpenSocket, data: Buffer, at: number): void {
  const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  const carried =
    frame['type'] === 'batch' && Array.isArray(frame['messages'])
      ? (frame['messages'] as Array<Record<string, unknown>>)
      : [frame];
  let messages = 0;
  for (const message of carried) {
    if (message['type'] === 'error') refused += 1;
    if (message['type'] !== 'message') continue;
    messages += 1;
    const id = String(message['clientMessageId']);
    result.received += 1;
    if (open.seen.has(id)) {
      result.duplicates += 1;
      continue;
    }
    open.seen.add(id);
    if (awaited?.ids.get(open.job.sessionId)?.has(id) === true) {
      awaited.missing -= 1;
      if (awaited.missing === 0) awaited.done();
    }
    result.deliveries[id] = (result.deliveries[id] ?? 0) + 1;
    const storedAt = Date.parse(String(message['sentAt']));
    result.storedAt[id] ??= storedAt;
    const ms = Math.max(0, Math.round(at - storedAt));
    result.latency[ms] = (result.latency[ms] ?? 0) + 1;
    const byId = (result.latencyById[id] ??= {});
    byId[ms] = (byId[ms] ?? 0) + 1;
  }
  if (messages > 0) result.messageFrames += 1;
}

function openOne(job: ClientSocketJob): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${job.wsUrl}/chat`);
    const open: OpenSocket = { job, socket, seen: new Set() };
    let joined = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: job.token })));
    socket.on('message', (data: Buffer) => {
      if (joined) return receive(open, data, Date.now());
      const frame = JSON.parse(data.toString('utf8')) as { type?: string };
      if (frame.type === 'authenticated')
        socket.send(JSON.stringify({ type: 'join', sessionId: job.sessionId }));
      else if (frame.type === 'joined') {
        joined = true;
        sockets.push(open);
        resolve(true);
      } else if (frame.type === 'error') resolve(false);
    });
    socket.on('close', (code) => {
      if (!joined) resolve(false);
      else if (!closing) result.closedByServer[code] = (result.closedByServer[code] ?? 0) + 1;
    });
    socket.on('error', () => resolve(false));
  });
}

async function openAll(job: ChatClientsJob): Promise<void> {
  let failed = 0;
  for (let start = 0; start < job.sockets.length; start += job.openBatch) {
    const batch = job.sockets.slice(start, start + job.openBatch);
    failed += (await Promise.all(batch.map(openOne))).filter((ok) => !ok).length;
  }
  report({ type: 'ready', opened: sockets.length, failed });
}

/** Each speaking socket sends a message every `intervalMs` for `seconds`, from `startAt` plus its phase. */
async function go(startAt: number, intervalMs: number, seconds: number, firstRound: number): Promise<void> {
  const speakers = sockets.filter((open) => open.job.senderId !== undefined);
  const sent: SentMessage[] = [];
  const rounds = Math.max(1, Math.floor((seconds * 1000) / intervalMs));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const sends = speakers
    .flatMap((speaker) =>
      Array.from({ length: rounds }, (_, round) => ({
        speaker,
        round: firstRound + round,
        due: startAt + round * intervalMs + (speaker.job.phaseMs ?? 0),
      })),
    )
    .sort((a, b) => a.due - b.due);
  for (const { speaker, round, due } of sends) {
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const id = `${speaker.job.senderId}-${round}`;
    const text = `Message ${round} from ${speaker.job.senderId}`;
    speaker.socket.send(JSON.stringify({ type: 'message', text, clientMessageId: id }));
    sent.push({ id, sessionId: speaker.job.sessionId, text, sentAt: Date.now() });
  }
  report({ type: 'sent', messages: sent, refused });
}

/** Waits until every socket has every message of its session, or `settleMs` passes without that. */
async function expect(
  messages: Array<{ id: string; sessionId: string }>,
  settleMs: number,
  final: boolean,
): Promise<void> {
  const ids = new Map<string, Set<string>>();
  for (const message of messages) {
    const session = ids.get(message.sessionId) ?? new Set<string>();
    session.add(message.id);
    ids.set(message.sessionId, session);
  }
  let missing = 0;
  for (const open of sockets)
    for (const id of ids.get(open.job.sessionId) ?? []) if (!open.seen.has(id)) missing += 1;
  if (missing > 0)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, settleMs);
      awaited = {
        ids,
        missing,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  awaited = undefined;
  closing = final;
  report({ type: 'result', result });
  if (!final) result = emptyResult();
}

process.on('message', (command: ChatClientsCommand | { type: 'job' }) => {
  if (command.type === 'go')
    void go(command.startAt, command.intervalMs, command.seconds, command.firstRound);
  else if (command.type === 'expect') void expect(command.messages, command.settleMs, command.final);
});
void childJob<ChatClientsJob>().then(openAll);
