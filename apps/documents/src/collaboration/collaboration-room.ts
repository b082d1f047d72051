import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** What the room did with one y-protocols sync message from a client. */
export interface SyncOutcome {
  /** Sent back to the sender only (the answer to its sync step 1), or null. */
  reply: Uint8Array | null;
  /** The delta to relay to every other editor of the document (a sync `update` message), or null. */
  broadcast: Uint8Array | null;
}

/** Raised for a frame the room will not apply; the document is left untouched. */
export class RefusedSyncMessage extends Error {}

/**
 * One document's shared state on the server: a Y.Doc that clients sync with through y-protocols.
 * The room never writes a CRDT or the sync protocol of its own: Yjs merges, y-protocols frames. What goes to
 * the other editors is the update Yjs emitted for this change, a delta of a few bytes per keystroke, never the
 * whole document (polyglot-b:S-2).
 */
export class CollaborationRoom {
  readonly doc = new Y.Doc();

  constructor(private readonly maxUpdateBytes: number) {}

  /** Applies one sync message; `canWrite` false (a viewer) refuses any update before it touches the document. */
  receive(message: Uint8Array, canWrite: boolean): SyncOutcome {
    if (message.byteLength > this.maxUpdateBytes) {
      throw new RefusedSyncMessage(
        `sync message of ${message.byteLength} bytes exceeds ${this.maxUpdateBytes}`,
      );
    }
    const decoder = decoding.createDecoder(message);
    const kind = this.readKind(decoder);
    if (kind !== syncProtocol.messageYjsSyncStep1 && !canWrite) {
      throw new RefusedSyncMessage('read-only: this member may not edit the document');
    }
    // Decode against a scratch copy first so a malformed update cannot leave the room's document half applied.
    const emitted: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array) => emitted.push(update);
    this.doc.on('update', onUpdate);
    const reply = encoding.createEncoder();
    try {
      if (kind !== syncProtocol.messageYjsSyncStep1) this.checkUpdateDecodes(message);
      syncProtocol.readSyncMessage(decoding.createDecoder(message), reply, this.doc, 'client');
    } finally {
      this.doc.off('update', onUpdate);
    }
    return {
      reply: encoding.length(reply) > 0 ? encoding.toUint8Array(reply) : null,
      broadcast: emitted.length > 0 ? this.updateMessage(Y.mergeUpdates(emitted)) : null,
    };
  }

  /** Sync step 1 the server sends a client that joins, so the client answers with what the server lacks. */
  greeting(): Uint8Array {
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    return encoding.toUint8Array(encoder);
  }

  private updateMessage(update: Uint8Array): Uint8Array {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  }

  private readKind(decoder: decoding.Decoder): number {
    try {
      const kind = decoding.readVarUint(decoder);
      if (
        kind === syncProtocol.messageYjsSyncStep1 ||
        kind === syncProtocol.messageYjsSyncStep2 ||
        kind === syncProtocol.messageYjsUpdate
      ) {
        return kind;
      }
    } catch {
      // falls through to the refusal below: a frame too short to hold a message type
    }
    throw new RefusedSyncMessage('malformed sync message');
  }

  private checkUpdateDecodes(message: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(message);
      decoding.readVarUint(decoder);
      Y.applyUpdate(new Y.Doc(), decoding.readVarUint8Array(decoder));
    } catch {
      throw new RefusedSyncMessage('malformed sync message');
    }
  }
}
