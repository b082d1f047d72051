import * as Y from 'yjs';
import { restoreUpdate } from '../src/versions/restore-update.js';

const longText = 'a sentence of the glossary. '.repeat(40_000);

/** A copy of `doc` as another editor holds it. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('restoreUpdate: a version brought back as one Yjs edit', () => {
  it('turns the text into the version’s in every copy it reaches, keeping the history before it', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'the version’s text');
    const version = doc.getText('content').toJSON();
    doc.getText('content').insert(4, 'rewritten, not ');
    const editor = copyOf(doc);

    const update = restoreUpdate(doc, version)!;
    Y.applyUpdate(editor, update);

    expect(editor.getText('content').toJSON()).toBe(version);
    // An edit on top of the history, not a state replacing it: alone, the update is not the version's text.
    const alone = new Y.Doc();
    Y.applyUpdate(alone, update);
    expect(alone.getText('content').toJSON()).not.toBe(version);
  });

  it('touches only the changed span: a one-word restore of a 1 MB text is bytes, not the text', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, longText);
    doc.getText('content').insert(500_000, 'draft ');
    const update = restoreUpdate(doc, longText)!;
    expect(update.byteLength).toBeLessThan(100);
    expect(doc.getText('content').toJSON()).toBe(longText);
  });

  it('merges with an edit made concurrently elsewhere instead of overwriting it', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'intro. body. outro.');
    const version = 'intro. old body. outro.';
    const editor = copyOf(doc);
    editor.getText('content').insert(0, 'Title. ');
    const concurrent = Y.encodeStateAsUpdate(editor, Y.encodeStateVector(doc));

    const update = restoreUpdate(doc, version)!;
    Y.applyUpdate(doc, concurrent);
    Y.applyUpdate(editor, update);

    expect(editor.getText('content').toJSON()).toBe('Title. intro. old body. outro.');
    expect(doc.getText('content').toJSON()).toBe(editor.getText('content').toJSON());
  });

  it('is nothing when the text already is the version’s, and keeps a surrogate pair whole', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'x😀y');
    expect(restoreUpdate(doc, 'x😀y')).toBeNull();
    const editor = copyOf(doc);
    Y.applyUpdate(editor, restoreUpdate(doc, 'x😁y')!);
    expect(editor.getText('content').toJSON()).toBe('x😁y');
  });
});
