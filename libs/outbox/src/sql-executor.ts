/**
 * The one thing the outbox needs from a database handle: run a parameterised statement. A `pg.PoolClient`,
 * a `pg.Pool`, a TypeORM `EntityManager` and a TypeORM `QueryRunner` all satisfy it, so the writer and the
 * guard have one implementation whichever stack the caller's transaction lives in.
 */
export interface SqlExecutor {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/**
 * pg resolves to a result object with `rows`; TypeORM resolves to the rows themselves. Only statements
 * whose outer command is SELECT go through here, so TypeORM's `[rows, count]` shape for UPDATE/DELETE
 * never reaches it.
 */
export async function queryRows<Row>(
  executor: SqlExecutor,
  text: string,
  params?: unknown[],
): Promise<Row[]> {
  const result = await executor.query(text, params);
  if (Array.isArray(result)) return result as Row[];
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows))
    return result.rows as Row[];
  throw new Error('SqlExecutor.query resolved to neither rows nor a pg result');
}
