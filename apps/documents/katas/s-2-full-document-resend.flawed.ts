import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { SyncRoom } from '../src/collaboration/collaboration-room-factory.js';
import { CollaborationRoom, type SyncOutcome } from '../src/collaboration/collaboration-room.js';

/**
 * polyglot-b:S-2 as reviewed: the design names "co-editing synchronization" and no algorithm, and the review
 * warns that the naive one "sends full document on every edit". This room merges edits like the remediated
 * one (so copies still converge) but, after each edit, sends every other editor the whole document.
 */
abstract class ResendingRoom implements SyncRoom {
  private readonly room: CollaborationRoom;

  constructor(maxUpdateBytes: number) {
    this.room = new CollaborationRoom(maxUpdateBytes);
  }

  get doc(): Y.Doc {
    return this.room.doc;
  }

  greeting(): Uint8Array {
    return this.room.greeting();
  }

  receive(message: Uint8Array, canWrite: boolean): SyncOutcome {
    const outcome = this.room.receive(message, canWrite);
    return outcome.broadcast ? { reply: outcome.reply, broadcast: this.afterEdit() } : outcome;
  }

  /** What the other editors get after an edit. */
  protected abstract afterEdit(): Uint8Array;
}

/** The review's design: the whole document, as one update message, per edit. */
export class FullDocumentResendRoom extends ResendingRoom {
  protected afterEdit(): Uint8Array {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(this.doc));
    return encoding.toUint8Array(encoder);
  }
}

/**
 * A cousin that looks like a delta: "what the other editor lacks", computed against an empty state vector
 * instead of the editor's own — which is everything.
 */
export class DiffFromEmptyStateRoom extends ResendingRoom {
  protected afterEdit(): Uint8Array {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(new Y.Doc())));
    return encoding.toUint8Array(encoder);
  }
}

/** A cousin that re-runs the sync handshake's step 2 (the full state) to every editor after each edit. */
export class ResyncEveryEditRoom extends ResendingRoom {
  protected afterEdit(): Uint8Array {
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep2(encoder, this.doc);
    return encoding.toUint8Array(encoder);
  }
}

export const fullDocumentResendRoom = (maxUpdateBytes: number): SyncRoom =>
  new FullDocumentResendRoom(maxUpdateBytes);
export const diffFromEmptyStateRoom = (maxUpdateBytes: number): SyncRoom =>
  new DiffFromEmptyStateRoom(maxUpdateBytes);
export const resyncEveryEditRoom = (maxUpdateBytes: number): SyncRoom =>
  new ResyncEveryEditRoom(maxUpdateBytes);
