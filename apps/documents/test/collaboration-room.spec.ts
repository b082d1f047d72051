import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CollaborationRoom, RefusedSyncMessage } from '../src/collaboration/collaboration-room.js';

const oneMegabyte = 'lorem ipsum '.repeat(Math.ceil(1_048_576 / 12)).slice(0, 1_048_576);

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A client editor: its own Y.Doc, whose every local change goes to the room as a sync update message. */
function clientOf(room: CollaborationRoom) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  const sent: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'room') sent.push(updateMessage(update));
  });
  return { doc, sent, text: doc.getText('content') };
}

describe('CollaborationRoom (y-protocols sync over a Y.Doc)', () => {
  it('relays a keystroke on a 1 MB document as a delta of a few bytes, not the document', () => {
    const room = new CollaborationRoom(16 * 1_048_576);
    room.doc.getText('content').insert(0, oneMegabyte);
    const editor = clientOf(room);

    editor.text.insert(500_000, 'x');
    const outcome = room.receive(editor.sent[0]!, true);

    expect(outcome.broadcast!.byteLength).toBeLessThanOrEqual(64);
    expect(Y.encodeStateAsUpdate(room.doc).byteLength / outcome.broadcast!.byteLength).toBeGreaterThan(
      10_000,
    );
    expect(room.doc.getText('content').length).toBe(1_048_577);
  });

  it('converges when two editors type at the same place at once', () => {
    const room = new CollaborationRoom(1_048_576);
    room.doc.getText('content').insert(0, 'hello world');
    const alice = clientOf(room);
    const bob = clientOf(room);

    alice.text.insert(5, ' there');
    bob.text.insert(5, ',');
    const fromAlice = room.receive(alice.sent[0]!, true).broadcast!;
    const fromBob = room.receive(bob.sent[0]!, true).broadcast!;
    syncProtocol.readSyncMessage(
      decoding.createDecoder(fromBob),
      encoding.createEncoder(),
      alice.doc,
      'room',
    );
    syncProtocol.readSyncMessage(
      decoding.createDecoder(fromAlice),
      encoding.createEncoder(),
      bob.doc,
      'room',
    );

    const merged = room.doc.getText('content').toJSON();
    expect(alice.text.toJSON()).toBe(merged);
    expect(bob.text.toJSON()).toBe(merged);
    expect(merged).toContain(' there');
    expect(merged).toContain(',');
  });

  it('refuses a viewer’s update and a malformed or oversized frame without touching the document', () => {
    const room = new CollaborationRoom(1_024);
    room.doc.getText('content').insert(0, 'kept');
    const viewer = clientOf(room);
    viewer.text.insert(0, 'vandal ');

    expect(() => room.receive(viewer.sent[0]!, false)).toThrow(RefusedSyncMessage);
    expect(() => room.receive(Uint8Array.of(2, 9, 1, 2, 3), true)).toThrow(RefusedSyncMessage);
    expect(() => room.receive(Uint8Array.of(7), true)).toThrow(RefusedSyncMessage);
    expect(() => room.receive(new Uint8Array(2_048), true)).toThrow(RefusedSyncMessage);
    expect(room.doc.getText('content').toJSON()).toBe('kept');
  });
});
