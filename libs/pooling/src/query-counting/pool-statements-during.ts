import { normalizeSql } from './normalize-sql.js';
import { queryEvents, type QueryEvent } from './query-events.js';
import { isTransactionControl } from './transaction-control.js';

export interface PoolStatements<T> {
  result: T;
  /** Statements that finished on the watched pools while `work` ran (transaction control left out). */
  count: number;
  /** Rows those statements sent back: what crossed the wire to the pools' pg clients. */
  rows: number;
  /** With their SQL on one line and their bound values, in completion order. */
  statements: QueryEvent[];
}

/**
 * Every statement the pools whose names start with `poolPrefix` (e.g. a booted app's `<applicationName>-api`)
 * finish while `work` runs. QueryCounter's AsyncLocalStorage scope does not cross the socket into a server's
 * request handler, so a proof that goes through HTTP counts per pool over the request window instead: run
 * one request (or one sequence) at a time, with nothing else using those pools.
 */
export async function poolStatementsDuring<T>(
  poolPrefix: string,
  work: () => Promise<T>,
): Promise<PoolStatements<T>> {
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
