/*
 * Statements of a document's co-edited content (documents.state plus document_updates). Each names the
 * document's organisation where a caller's scope applies; the gateway checks it once when a document is opened.
 */

/**
 * $1 document, $2 user: the user's current role when the document is in the user's organisation, else no row
 * (documents_pkey, users_pkey). The role is read here, not from the token, so a demoted editor opens read-only.
 */
export const MEMBER_ROLE_FOR_DOCUMENT_SQL = `
SELECT u.role FROM documents d JOIN users u ON u.organisation_id = d.organisation_id
WHERE d.id = $1 AND u.id = $2`;

/**
 * $1 document: the snapshot (the first row, `state` null while nothing is folded) and every update not yet
 * folded into it, oldest first (documents_pkey, document_updates_pkey), in one statement: one snapshot of the
 * database, so a compaction committing between two reads can neither hide the rows it folded (an old snapshot
 * read before, the rows deleted after) nor matter otherwise. No row when there is no such document. One bytea
 * a row, not the tail as one bytea[]: node-postgres parses an array of bytea in text form character by
 * character, 20 ms for 250 rows of a 160 KB document where the same rows take 2 ms (ADR 0095).
 */
export const DOCUMENT_CONTENT_SQL = `
SELECT 0 AS part, 0::bigint AS seq, d.state AS bytes FROM documents d WHERE d.id = $1
UNION ALL
SELECT 1, u.seq, u.update FROM document_updates u WHERE u.document_id = $1
ORDER BY part, seq`;

/** $1 document: the updates not yet folded into the snapshot, oldest first (document_updates_pkey). */
export const DOCUMENT_UPDATES_SQL =
  'SELECT seq, update FROM document_updates WHERE document_id = $1 ORDER BY seq';

/** $1 document, $2 the Yjs update. */
export const APPEND_UPDATE_SQL = 'INSERT INTO document_updates (document_id, update) VALUES ($1, $2)';

/**
 * $1 document: a new writer takes the document over (ADR 0086). The bumped epoch fences every earlier writer's
 * inserts below; the row lock it takes waits for an insert of the old writer that is in flight. A SELECT over
 * the UPDATE: TypeORM hands back an UPDATE's rows wrapped with its count, a SELECT's as they are.
 */
export const TAKE_WRITER_SQL = `
WITH taken AS (UPDATE documents SET writer_epoch = writer_epoch + 1 WHERE id = $1 RETURNING writer_epoch)
SELECT writer_epoch FROM taken`;

/** $1 document: its current writer epoch, read by an instance that took the lease with a copy it only loaded. */
export const WRITER_EPOCH_SQL = 'SELECT writer_epoch FROM documents WHERE id = $1';

/**
 * $1 document, $2 the epoch read after the lease was taken: the takeover of a writer whose copy only loaded,
 * made by its first window (ADR 0095). No row when another writer took over since that read.
 */
export const TAKE_WRITER_FROM_SQL = `
WITH taken AS (
  UPDATE documents SET writer_epoch = writer_epoch + 1 WHERE id = $1 AND writer_epoch = $2 RETURNING writer_epoch
)
SELECT writer_epoch FROM taken`;

/**
 * $1 document, $2 the Yjs update, $3 the writer's epoch: inserts only while no later writer took over (no row
 * returned otherwise). FOR SHARE orders it with a takeover's UPDATE: whichever waits sees the other's outcome.
 */
export const APPEND_AS_WRITER_SQL = `INSERT INTO document_updates (document_id, update)
SELECT id, $2 FROM documents WHERE id = $1 AND writer_epoch = $3 FOR SHARE
RETURNING seq`;

/** $1 document: serialises compactions of one document (the row lock, held to the transaction's end). */
export const LOCK_DOCUMENT_SQL = 'SELECT state FROM documents WHERE id = $1 FOR UPDATE';
export const SAVE_SNAPSHOT_SQL = 'UPDATE documents SET state = $2, updated_at = now() WHERE id = $1';
/** $1 document, $2 the seqs folded into the snapshot: only those, never an append that committed meanwhile. */
export const DELETE_FOLDED_SQL =
  'DELETE FROM document_updates WHERE document_id = $1 AND seq = ANY($2::bigint[])';
