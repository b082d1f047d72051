import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hasQueryEventListeners, publishQueryEvent } from '../query-counting/query-events.js';

type QueryMethod = (this: pg.Client, ...args: unknown[]) => unknown;
type QueryCallback = (error: Error | null | undefined, result: unknown) => void;
type Finish = (failed: boolean, rows: number) => void;

// Taken unbound on purpose: it is applied with each instrumented client as `this`.
const rawQuery = Reflect.get(pg.Client.prototype, 'query') as QueryMethod;

/**
 * A pg Client class whose every statement publishes one QueryEvent labelled with `poolName`. Instrumenting
 * the client (rather than the pool or an ORM logger) catches all routes a statement can take: pool.query,
 * checked-out clients, TypeORM query runners, cursors and streams.
 */
export function instrumentedClientClass(poolName: string): typeof pg.Client {
  class InstrumentedClient extends pg.Client {}
  const instrumentedQuery: QueryMethod = function (this: pg.Client, ...args: unknown[]): unknown {
    if (!hasQueryEventListeners()) return rawQuery.apply(this, args);
    const finish = finisher(poolName, statementText(args[0]), statementValues(args));
    return track(rawQuery, this, args, finish);
  };
  InstrumentedClient.prototype.query = instrumentedQuery as unknown as pg.Client['query'];
  return InstrumentedClient;
}

function finisher(pool: string, sql: string, values: readonly unknown[] | undefined): Finish {
  const startedAt = performance.now();
  let finished = false;
  // Run in the caller's async context: pg completes callbacks from the socket's context, and listeners
  // such as QueryCounter must attribute the statement to the scope that issued it. A plain AsyncResource,
  // not AsyncResource.bind, which on Node 20 also builds a deprecation wrapper on every call (~1 % of a
  // registration's CPU in the profile).
  const caller = new AsyncResource('pg-query');
  return (failed: boolean, rows: number) => {
    if (finished) return;
    finished = true;
    caller.runInAsyncScope(publishQueryEvent, undefined, {
      sql,
      durationMs: performance.now() - startedAt,
      failed,
      pool,
      rows,
      ...(values === undefined ? {} : { values }),
    });
  };
}

function track(query: QueryMethod, client: pg.Client, args: unknown[], finish: Finish): unknown {
  const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
  if (callbackIndex >= 0) {
    const callback = args[callbackIndex] as QueryCallback;
    const tracked = [...args];
    tracked[callbackIndex] = (error: Error | null | undefined, result: unknown) => {
      finish(error != null, rowsOf(result));
      callback(error, result);
    };
    return query.apply(client, tracked);
  }
  const [first, ...rest] = args;
  if (isSubmittable(first)) {
    trackSubmittable(first, finish);
    return query.apply(client, args);
  }
  if (hasConfigCallback(first)) {
    const { callback } = first;
    const tracked = {
      ...first,
      callback: (error: Error | null | undefined, result: unknown) => {
        finish(error != null, rowsOf(result));
        callback(error, result);
      },
    };
    return query.apply(client, [tracked, ...rest]);
  }
  let returned: unknown;
  try {
    returned = query.apply(client, args);
  } catch (error) {
    finish(true, 0);
    throw error;
  }
  if (returned instanceof Promise) {
    return returned.then(
      (result: unknown) => {
        finish(false, rowsOf(result));
        return result;
      },
      (error: unknown) => {
        finish(true, 0);
        throw error;
      },
    );
  }
  return returned;
}

interface ProtocolHandlers {
  submit: (...args: unknown[]) => unknown;
  handleDataRow?: (...args: unknown[]) => unknown;
  handleError?: (...args: unknown[]) => unknown;
  handleReadyForQuery?: (...args: unknown[]) => unknown;
}

/** Rows in a pg result; a multi-statement text query resolves to one result per statement. */
function rowsOf(result: unknown): number {
  if (Array.isArray(result)) return result.reduce((sum: number, part) => sum + rowsOf(part), 0);
  const rows = (result as { rows?: unknown } | null | undefined)?.rows;
  return Array.isArray(rows) ? rows.length : 0;
}

function isSubmittable(value: unknown): value is ProtocolHandlers {
  return (
    typeof value === 'object' && value !== null && typeof (value as ProtocolHandlers).submit === 'function'
  );
}

/** Cursors and streams finish through the same protocol hooks pg calls on every active query. */
function trackSubmittable(submittable: ProtocolHandlers, finish: Finish): void {
  const { handleDataRow, handleError, handleReadyForQuery } = submittable;
  let rows = 0;
  if (handleDataRow) {
    submittable.handleDataRow = function (this: unknown, ...args: unknown[]) {
      rows++;
      return handleDataRow.apply(this, args);
    };
  }
  if (handleError) {
    submittable.handleError = function (this: unknown, ...args: unknown[]) {
      finish(true, rows);
      return handleError.apply(this, args);
    };
  }
  if (handleReadyForQuery) {
    submittable.handleReadyForQuery = function (this: unknown, ...args: unknown[]) {
      finish(false, rows);
      return handleReadyForQuery.apply(this, args);
    };
  }
}

function hasConfigCallback(value: unknown): value is { callback: QueryCallback } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { callback?: unknown }).callback === 'function'
  );
}

function statementValues(args: unknown[]): readonly unknown[] | undefined {
  if (Array.isArray(args[1])) return args[1] as unknown[];
  const first = args[0];
  if (typeof first === 'object' && first !== null && 'values' in first && Array.isArray(first.values)) {
    return first.values as unknown[];
  }
  return undefined;
}

function statementText(first: unknown): string {
  if (typeof first === 'string') return first;
  if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
    return first.text;
  }
  return '';
}
