import type { Registry } from 'prom-client';

/** One worker's metrics, as prom-client's `AggregatorRegistry.aggregate` takes them. */
export type WorkerMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * What a node:cluster primary and its workers say to each other over IPC so that `/metrics`, answered by
 * whichever worker the scrape lands on, counts every worker: the worker asks the primary (`scrape`), the
 * primary asks every worker that answers for itself (`collect` → `collected`) and replies with the sum
 * (`scraped`).
 */
export type WorkerToPrimaryMessage =
  /** This worker answers `collect` from now on. */
  | { type: 'remedy:metrics:answering' }
  /** This worker is closing; stop asking it. */
  | { type: 'remedy:metrics:withdrawn' }
  | { type: 'remedy:metrics:scrape'; id: number }
  | { type: 'remedy:metrics:collected'; id: number; metrics: WorkerMetrics }
  | { type: 'remedy:metrics:collect-failed'; id: number; error: string };

export type PrimaryToWorkerMessage =
  | { type: 'remedy:metrics:collect'; id: number }
  | { type: 'remedy:metrics:scraped'; id: number; text: string }
  | { type: 'remedy:metrics:scrape-failed'; id: number; error: string };

/** One of these messages, by its type's prefix (IPC also carries the app's own messages, and Node's). */
export function isClusterMetricsMessage<Message extends WorkerToPrimaryMessage | PrimaryToWorkerMessage>(
  message: unknown,
): message is Message {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { type?: unknown }).type === 'string' &&
    (message as { type: string }).type.startsWith('remedy:metrics:')
  );
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
