import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocketTestClient, type Frame } from '@remedy/testing';
import * as Y from 'yjs';

export type { Frame } from '@remedy/testing';

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
 * On top of the shared test client it records the byte size of each sync frame.
 */
export class CollabTestClient extends WebSocketTestClient {
  readonly documents = new Map<string, ClientDocument>();

  private constructor(url: string) {
    super(url, { name: 'collab socket', answerTimeoutMs: 30_000 });
  }

  /** Opens a socket at `${wsUrl}/collab` (plus `suffix`, e.g. a query string a test wants refused). */
  static async open(wsUrl: string, suffix = ''): Promise<CollabTestClient> {
    return new CollabTestClient(`${wsUrl}/collab${suffix}`).opened();
  }

  static async signedIn(wsUrl: string, token: string): Promise<CollabTestClient> {
    return (await CollabTestClient.open(wsUrl)).authenticate(token);
  }

  /**
   * Opens the document and resolves once the client holds the server's copy of it. `doc` is a copy the client
   * already holds (a page reconnecting): what the server lacks of it goes in the answer to the server's step 1.
   */
  async openDocument(documentId: string, doc = new Y.Doc()): Promise<Y.Text> {
    const document: ClientDocument = { doc, synced: false, syncFrameBytes: [] };
    this.documents.set(documentId, document);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server' || this.documents.get(documentId) !== document) return;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      this.sendSync(documentId, encoding.toUint8Array(encoder));
    });
    await this.syncAgain(documentId);
    return doc.getText('content');
  }

  /**
   * Opens the document again on this socket, as the page does after `not-saved`, and resolves once synced: the
   * server's step 1 is answered with whatever its copy lacks.
   */
  async syncAgain(documentId: string): Promise<void> {
    const document = this.documentOf(documentId);
    const opened = () => this.ofType('opened').filter((frame) => frame['documentId'] === documentId).length;
    const before = opened();
    document.synced = false;
    this.send({ type: 'open', documentId });
    await this.until('opened', () => opened() > before);
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, document.doc);
    this.sendSync(documentId, encoding.toUint8Array(encoder));
    await this.until('synced', () => document.synced);
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

  /** Keeps the frame and applies a sync message to the document's copy, answering it as y-protocols does. */
  protected override record(frame: Frame, data: Buffer): void {
    super.record(frame, data);
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
  }
}
