import { simpleDiffString } from 'lib0/diff';
import * as Y from 'yjs';

/**
 * Turns `doc`'s text into `target` with one Yjs transaction and returns that transaction's update: the edit a
 * person would make by selecting the changed span and typing the version's text over it, nothing more (the
 * common start and end are kept, as the editor page diffs its textarea). Applied to every copy of the document
 * it is an ordinary edit: it merges with edits made concurrently instead of overwriting them, and the history
 * before it stays in the CRDT. Returns null when the text already is `target`.
 */
export function restoreUpdate(doc: Y.Doc, target: string): Uint8Array | null {
  const text = doc.getText('content');
  const { index, remove, insert } = simpleDiffString(text.toJSON(), target);
  if (remove === 0 && insert === '') return null;
  let update: Uint8Array | null = null;
  // Only this transaction's update (its own deletions), not encodeStateAsUpdate's whole delete set.
  const capture = (emitted: Uint8Array) => (update = emitted);
  doc.on('update', capture);
  try {
    doc.transact(() => {
      if (remove > 0) text.delete(index, remove);
      if (insert !== '') text.insert(index, insert);
    }, 'restore');
  } finally {
    doc.off('update', capture);
  }
  return update;
}
