import type pg from 'pg';

/** Rows written per table of the app (inserted, updated, deleted), as PostgreSQL's statistics counted them. */
export type TableWrites = Record<string, number>;

/**
 * What the service wrote, read from pg_stat_user_tables: counted by the server for every statement that
 * committed, whatever the client. A backend reports its counts when it goes idle (at most about a second
 * later) or exits, so read after the writers stopped.
 */
export async function tableWrites(pool: pg.Pool): Promise<TableWrites> {
  const { rows } = await pool.query<{ relname: string; writes: string }>(
    `SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables ORDER BY relname`,
  );
  return Object.fromEntries(rows.map((row) => [row.relname, Number(row.writes)]));
}

/** The rows written between two readings, per table that had any. */
export function writesBetween(before: TableWrites, after: TableWrites): TableWrites {
  const written: TableWrites = {};
  for (const [table, count] of Object.entries(after)) {
    const delta = count - (before[table] ?? 0);
    if (delta > 0) written[table] = delta;
  }
  return written;
}

/** Where a document's write transactions are counted from: its last window, the last change row, its epoch. */
export interface WriteMark {
  seq: number;
  outboxId: number;
  epoch: number;
}

export async function writeMark(pool: pg.Pool, documentId: string): Promise<WriteMark> {
  const { rows } = await pool.query<WriteMark>(
    `SELECT (SELECT coalesce(max(seq), 0) FROM document_updates WHERE document_id = $1)::int AS seq,
            (SELECT coalesce(max(id), 0) FROM outbox)::int AS "outboxId",
            (SELECT writer_epoch FROM documents WHERE id = $1)::int AS epoch`,
    [documentId],
  );
  return rows[0]!;
}

/** The transactions that wrote a document: those that inserted rows, and its takeovers. */
export interface WriteTransactions {
  /** Distinct transactions (xmin) that inserted its windows (document_updates) or change rows (outbox). */
  inserting: number;
  /** Takeovers (writer_epoch bumped, each in a transaction of its own, which may also insert a row). */
  takeovers: number;
  /** Their sum: an upper bound, a takeover that inserted a row (a first window, a difference) counted in both. */
  total: number;
}

/**
 * The transactions that wrote the document since `mark`, read from the rows themselves, so nothing else that
 * commits in the database (autovacuum, the bench's own readings) counts. A fold would delete the rows it counts;
 * none happens in a bench's minute (ADR 0095).
 */
export async function writeTransactionsSince(
  pool: pg.Pool,
  documentId: string,
  mark: WriteMark,
): Promise<WriteTransactions> {
  const { rows } = await pool.query<{ inserting: number; takeovers: number }>(
    `SELECT (SELECT count(DISTINCT writer) FROM (
               SELECT xmin::text AS writer FROM document_updates WHERE document_id = $1 AND seq > $2
               UNION ALL
               SELECT xmin::text FROM outbox WHERE id > $3 AND payload->>'documentId' = $1::text) AS inserted)::int
              AS inserting,
            (SELECT writer_epoch FROM documents WHERE id = $1)::int - $4 AS takeovers`,
    [documentId, mark.seq, mark.outboxId, mark.epoch],
  );
  const { inserting, takeovers } = rows[0]!;
  return { inserting, takeovers, total: inserting + takeovers };
}
