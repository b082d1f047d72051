import { AsyncLocalStorage } from 'node:async_hooks';
import { normalizeSql } from './normalize-sql.js';
import { queryEvents, type QueryEvent } from './query-events.js';
import { isTransactionControl } from './transaction-control.js';

/** A statement seen by a counting scope, with its SQL on one line. */
export interface CapturedStatement {
  sql: string;
  durationMs: number;
  failed: boolean;
  pool: string;
  /** Rows the server sent back for it. */
  rows: number;
}

export interface QueryCountOptions {
  /** Statements to leave out of the count (given normalised SQL). Defaults to isTransactionControl. */
  ignore?: (sql: string) => boolean;
}

export interface QueryCount<T> {
  result: T;
  count: number;
  /** Rows the server sent back across all counted statements: what crossed the wire to this process. */
  rows: number;
  /** In completion order, which for awaited sequential code is the order they were issued. */
  statements: readonly CapturedStatement[];
}

interface CountingScope {
  readonly ignore: (sql: string) => boolean;
  readonly statements: CapturedStatement[];
  readonly parent: CountingScope | undefined;
  open: boolean;
}

const currentScope = new AsyncLocalStorage<CountingScope>();
let openScopes = 0;
let unsubscribe: (() => void) | undefined;

function record(event: QueryEvent): void {
  let sql: string | undefined;
  // A statement issued in a nested scope belongs to every enclosing scope too.
  for (let scope = currentScope.getStore(); scope !== undefined; scope = scope.parent) {
    if (!scope.open) continue;
    sql ??= normalizeSql(event.sql);
    if (scope.ignore(sql)) continue;
    scope.statements.push({
      sql,
      durationMs: event.durationMs,
      failed: event.failed,
      pool: event.pool,
      rows: event.rows,
    });
  }
}

async function count<T>(work: () => Promise<T> | T, options: QueryCountOptions = {}): Promise<QueryCount<T>> {
  const scope: CountingScope = {
    ignore: options.ignore ?? isTransactionControl,
    statements: [],
    parent: currentScope.getStore(),
    open: true,
  };
  // Subscribed only while a scope is open, so production code pays nothing for the counter's existence.
  if (openScopes++ === 0) unsubscribe = queryEvents.subscribe(record);
  try {
    const result = await currentScope.run(scope, work);
    return {
      result,
      count: scope.statements.length,
      rows: scope.statements.reduce((sum, statement) => sum + statement.rows, 0),
      statements: [...scope.statements],
    };
  } finally {
    scope.open = false;
    if (--openScopes === 0) {
      unsubscribe?.();
      unsubscribe = undefined;
    }
  }
}

/**
 * Counts the SQL statements that pools and DataSources from this library run inside an async scope.
 * Scopes follow AsyncLocalStorage, so concurrent scopes never see each other's statements and nested
 * scopes add to their parents.
 *
 *   const { result, count, statements } = await QueryCounter.count(() => posts.findPage());
 */
export const QueryCounter = { count };
