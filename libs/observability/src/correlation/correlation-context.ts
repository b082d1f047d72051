import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** A single ID, or the IDs of several requests served by one piece of work (a batched provider call). */
export type CorrelationValue = string | number | readonly string[];

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
 * Runs `fn`, work done at once for several requests (a batched call), in a context naming all of them: an ID
 * the requests agree on stays as it is, IDs that differ become the list of their distinct values under the
 * plural name (`requestIds`, `sessionIds`), and the work gets a request ID of its own so its lines group
 * together. For one request it is that request's context. Whatever context `fn` is started from (a timer set
 * by the first request, the previous batch's callback) is ignored: it would name the wrong request.
 */
export function runOnBehalfOf<T>(correlations: readonly (Correlation | undefined)[], fn: () => T): T {
  const known = correlations.filter((correlation): correlation is Correlation => correlation !== undefined);
  if (known.length === 0) return storage.run({ requestId: randomUUID() }, fn);
  const store: CorrelationStore = { requestId: randomUUID() };
  const fields = new Set(known.flatMap((correlation) => Object.keys(correlation)));
  for (const field of fields) {
    const values = known.map((correlation) => correlation[field]);
    const first = values[0];
    const agreed = first !== undefined && values.every((value) => value === first);
    if (agreed) store[field] = first;
    else store[`${field}s`] = distinctIds(values);
  }
  return storage.run(store, fn);
}

function distinctIds(values: readonly (CorrelationValue | undefined)[]): string[] {
  const ids = values.flatMap((value) =>
    value === undefined ? [] : typeof value === 'object' ? [...value] : [String(value)],
  );
  return [...new Set(ids)];
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
