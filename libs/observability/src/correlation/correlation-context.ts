import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export type CorrelationValue = string | number;

/** The IDs every log line written inside the context carries: the request ID plus bound domain IDs. */
export interface Correlation {
  readonly requestId: string;
  readonly [field: string]: CorrelationValue;
}

export type CorrelationFields = Readonly<Record<string, CorrelationValue>>;

type CorrelationStore = Record<string, CorrelationValue> & { requestId: string };

const storage = new AsyncLocalStorage<CorrelationStore>();

/** A copy of the IDs of the current context, or undefined outside any request, job or `runWithCorrelation`. */
export function currentCorrelation(): Correlation | undefined {
  const store = storage.getStore();
  return store === undefined ? undefined : { ...store };
}

/**
 * Runs `fn` in a context that inherits the current IDs, overridden by `ids`. Without a request ID
 * from either, a fresh one is generated so the lines of the work still group together.
 */
export function runWithCorrelation<T>(ids: CorrelationFields, fn: () => T): T {
  const parent = storage.getStore();
  const requested = ids['requestId'];
  const requestId = typeof requested === 'string' ? requested : (parent?.requestId ?? randomUUID());
  return storage.run({ ...parent, ...ids, requestId }, fn);
}

/**
 * Adds domain IDs (userId, sessionId, eventId…) to the current context, so later lines of the same
 * request or job carry them. The request ID cannot be rebound. Returns false outside any context.
 */
export function bindCorrelation(fields: CorrelationFields): boolean {
  const store = storage.getStore();
  if (store === undefined) return false;
  Object.assign(store, fields, { requestId: store.requestId });
  return true;
}

/**
 * Runs `fn` in a fresh context that inherits nothing: an incoming request must not pick up whatever
 * context happened to be active where the server socket was created.
 */
export function runInNewCorrelation<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}
