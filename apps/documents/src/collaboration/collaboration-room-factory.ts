import { CollaborationRoom } from './collaboration-room.js';

/** What the gateway needs of a document's room: the server's copy, the sync messages, the greeting. */
export type SyncRoom = Pick<CollaborationRoom, 'doc' | 'receive' | 'greeting'>;

/**
 * Makes the room of one open document. The seam of polyglot-b:S-2: what the room relays to the other editors
 * after an edit (the Yjs update of that edit, a few bytes) is decided here.
 */
export type CollaborationRoomFactory = (maxUpdateBytes: number) => SyncRoom;

export const COLLABORATION_ROOM_FACTORY = Symbol('COLLABORATION_ROOM_FACTORY');

export const createCollaborationRoom: CollaborationRoomFactory = (maxUpdateBytes) =>
  new CollaborationRoom(maxUpdateBytes);
