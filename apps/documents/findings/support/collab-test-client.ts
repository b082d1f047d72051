import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';

export type Frame = Record<string, unknown>;

/** How long a wait for the server's answer may take before the test fails with what it has seen. */
const ANSWER_TIMEOUT_MS = 15_000;

/** One document as a client editor holds it: its own Y.Doc, synced with the server. */
interface ClientDocument {
  doc: Y.Doc;
  /** A sync step 2 arrived: the client holds the server's whole copy. */
  synced: boolean;
  /** Bytes of every sync frame received for the document after it synced (the frame's payload on the wire). */
  syncFrameBytes: number[];
}

/**
 * A /collab editor for tests, the way a browser editor uses y-protocols: a Y.Doc per open document whose local
 * edits go to the server as sync update messages, and whose copy takes every sync message the server sends.
 * Records every JSON frame and the byte size of each sync frame; waits never race the server (a timeout fails).
 */
export class CollabTestClient {
  readonly frames: Frame[] = [];
  readonly documents = new Map<string, ClientDocument>();
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.receive(data));
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Opens a socket at `${wsUrl}/collab` (plus `suffix`, e.g. a query string a test wants refused). */
  static async open(wsUrl: string, suffix = ''): Promise<CollabTestClient> {
    const socket = new WebSocket(`${wsUrl}/collab${suffix}`);
    const client = new CollabTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  static async signedIn(wsUrl: string, token: string): Promise<CollabTestClient> {
    const client = await CollabTestClient.open(wsUrl);
    client.send({ type: 'auth', token });
    await client.until('authenticated', () => client.has('authenticated'));
    return client;
  }

  /** Opens the document and resolves once the client holds the server's copy of it. */
  async openDocument(documentId: string): Promise<Y.Text> {
    const document: ClientDocument = { doc: new Y.Doc(), synced: false, syncFrameBytes: [] };
    this.documents.set(documentId, document);
    document.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server') return;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      this.sendSync(documentId, encoding.toUint8Array(encoder));
    });
    this.send({ type: 'open', documentId });
    await this.until('opened', () =>
      this.ofType('opened').some((frame) => frame['documentId'] === documentId),
    );
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, document.doc);
    this.sendSync(documentId, encoding.toUint8Array(encoder));
    await this.until('synced', () => document.synced);
    return document.doc.getText('content');
  }

  text(documentId: string): string {
    return this.documentOf(documentId).doc.getText('content').toJSON();
  }

  documentOf(documentId: string): ClientDocument {
    const document = this.documents.get(documentId);
    if (!document) throw new Error(`document ${documentId} is not open`);
    return document;
  }

  sendSync(documentId: string, message: Uint8Array): void {
    this.send({ type: 'sync', documentId, data: Buffer.from(message).toString('base64') });
  }

  send(message: unknown): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(data, { binary: typeof data !== 'string' });
  }

  has(type: string): boolean {
    return this.frames.some((frame) => frame['type'] === type);
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((frame) => frame['type'] === type);
  }

  errorCodes(): string[] {
    return this.ofType('error').map((frame) => String(frame['code']));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Resolves once `check()` holds; rejects after the answer timeout with the frames seen so far. */
  until(what: string, check: () => boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = JSON.stringify(this.frames.map((frame) => ({ ...frame, data: undefined })));
        reject(
          new Error(
            `collab socket: no ${what} within ${timeoutMs} ms; frames ${seen.slice(0, 400)}, close ${this.closeCode}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async closed(): Promise<number> {
    await this.until('close', () => this.closeCode !== undefined);
    return this.closeCode!;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private receive(data: Buffer): void {
    let frame: Frame;
    try {
      frame = JSON.parse(data.toString('utf8')) as Frame;
    } catch {
      frame = { type: '(not JSON)', text: data.toString('utf8').slice(0, 80) };
    }
    this.frames.push(frame);
    const document = this.documents.get(String(frame['documentId']));
    if (frame['type'] === 'sync' && document !== undefined && typeof frame['data'] === 'string') {
      if (document.synced) document.syncFrameBytes.push(data.byteLength);
      const decoder = decoding.createDecoder(new Uint8Array(Buffer.from(frame['data'], 'base64')));
      const reply = encoding.createEncoder();
      const kind = syncProtocol.readSyncMessage(decoder, reply, document.doc, 'server');
      if (kind === syncProtocol.messageYjsSyncStep2) document.synced = true;
      if (encoding.length(reply) > 0)
        this.sendSync(String(frame['documentId']), encoding.toUint8Array(reply));
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
