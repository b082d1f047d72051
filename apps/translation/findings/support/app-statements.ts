import { isTransactionControl, normalizeSql, queryEvents, type QueryEvent } from '@remedy/pooling';

export interface AppStatements<T> {
  result: T;
  /** Statements that finished on the watched pools while `work` ran (transaction control left out). */
  count: number;
  /** Rows those statements sent back: what crossed the wire to the app's pg clients. */
  rows: number;
  statements: QueryEvent[];
}

/**
 * Every statement a booted app's own pools (names starting with `poolPrefix`, e.g. `<applicationName>-api`)
 * finish while `work` runs. QueryCounter's AsyncLocalStorage scope does not cross the socket into the
 * server's request handler, so a proof that goes through HTTP counts per pool over the request window
 * instead: run one request (or one sequence) at a time, with nothing else using that app.
 */
export async function appStatementsDuring<T>(
  poolPrefix: string,
  work: () => Promise<T>,
): Promise<AppStatements<T>> {
  const statements: QueryEvent[] = [];
  const unsubscribe = queryEvents.subscribe((event) => {
    if (!event.pool.startsWith(poolPrefix)) return;
    const sql = normalizeSql(event.sql);
    if (!isTransactionControl(sql)) statements.push({ ...event, sql });
  });
  try {
    const result = await work();
    return {
      result,
      count: statements.length,
      rows: statements.reduce((sum, statement) => sum + statement.rows, 0),
      statements,
    };
  } finally {
    unsubscribe();
  }
}
