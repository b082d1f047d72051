import pg from 'pg';

/*
 * The reviewed design sets no query limits (Section 7.1: "No database query time limits") and no pool
 * configuration: `new Pool()` with pg's defaults, so statement_timeout is 0 (never) and a runaway query
 * keeps its connection, and its locks, until it finishes however long that takes.
 */
export function createUnconfiguredPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString });
}
