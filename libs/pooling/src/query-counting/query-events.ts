/** One SQL statement that completed (or failed) on a pool made by this library. */
export interface QueryEvent {
  sql: string;
  durationMs: number;
  failed: boolean;
  pool: string;
  /** Rows the server sent back to the client for this statement (what crossed the wire, not rowCount). */
  rows: number;
  /** The bound parameters, when the statement had any: enough to re-run it (e.g. under EXPLAIN). */
  values?: readonly unknown[];
}

type QueryEventListener = (event: QueryEvent) => void;

const listeners = new Set<QueryEventListener>();

/**
 * The contract observability (and QueryCounter) code against. Listeners run synchronously in the async
 * context of the code that issued the statement, so AsyncLocalStorage stores read inside a listener
 * belong to that caller.
 */
export const queryEvents: {
  subscribe(listener: QueryEventListener): () => void;
} = {
  subscribe(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function hasQueryEventListeners(): boolean {
  return listeners.size > 0;
}

export function publishQueryEvent(event: QueryEvent): void {
  for (const listener of listeners) {
    // A faulty listener must not turn a successful statement into a failed one for the caller.
    try {
      listener(event);
    } catch (error) {
      process.emitWarning(`query event listener threw: ${String(error)}`, 'QueryEventListenerWarning');
    }
  }
}
