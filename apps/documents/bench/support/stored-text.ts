import type pg from 'pg';
import * as Y from 'yjs';

/** A document's text as the database holds it: the snapshot, then every update not folded into it yet. */
export async function storedText(pool: pg.Pool, documentId: string): Promise<string> {
  const doc = new Y.Doc();
  const { rows: snapshot } = await pool.query<{ state: Buffer | null }>(
    'SELECT state FROM documents WHERE id = $1',
    [documentId],
  );
  if (snapshot[0]?.state) Y.applyUpdate(doc, new Uint8Array(snapshot[0].state));
  const { rows } = await pool.query<{ update: Buffer }>(
    'SELECT update FROM document_updates WHERE document_id = $1 ORDER BY seq',
    [documentId],
  );
  for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.update));
  return doc.getText('content').toJSON();
}
