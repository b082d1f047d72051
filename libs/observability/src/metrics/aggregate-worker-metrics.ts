import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import {
  errorText,
  isClusterMetricsMessage,
  type PrimaryToWorkerMessage,
  type WorkerToPrimaryMessage,
  type WorkerMetrics,
} from './cluster-metrics.messages.js';

interface Collection {
  answered(worker: Worker, metrics: WorkerMetrics): void;
  failed(error: Error): void;
  /** The worker exited or withdrew: the sum is over the workers that remain. */
  forget(worker: Worker): void;
}

/**
 * Runs in a node:cluster primary whose workers serve `/metrics` with `metricsScope: 'cluster'`: when one of them
 * is scraped, asks every worker that answers for itself (a worker still starting is not waited for) and replies
 * with prom-client's `AggregatorRegistry.aggregate` of them: counters and histograms summed, gauges by their
 * `aggregator` (summed unless they say otherwise). A worker that does not answer within `timeoutMs` fails that
 * scrape, as one missed scrape is better than counters that drop and read as a reset.
 * Returns the function that stops it.
 */
export function aggregateWorkerMetrics(timeoutMs = 5_000): () => void {
  const answering = new Set<Worker>();
  const collections = new Map<number, Collection>();
  let nextCollection = 0;

  const forget = (worker: Worker): void => {
    answering.delete(worker);
    for (const collection of collections.values()) collection.forget(worker);
  };

  const collect = (): Promise<string> => {
    const id = nextCollection++;
    const pending = new Set(answering);
    const answers: WorkerMetrics[] = [];
    return new Promise<string>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(deadline);
        collections.delete(id);
        outcome();
      };
      const finishIfComplete = (): void => {
        if (pending.size > 0) return;
        settle(() =>
          resolve(Promise.resolve(answers).then((all) => AggregatorRegistry.aggregate(all).metrics())),
        );
      };
      const deadline = setTimeout(
        () =>
          settle(() => reject(new Error(`${pending.size} workers did not answer within ${timeoutMs} ms`))),
        timeoutMs,
      );
      collections.set(id, {
        answered(worker, metrics) {
          if (!pending.delete(worker)) return;
          answers.push(metrics);
          finishIfComplete();
        },
        failed: (error) => settle(() => reject(error)),
        forget(worker) {
          pending.delete(worker);
          finishIfComplete();
        },
      });
      for (const worker of pending) {
        sendTo(worker, { type: 'remedy:metrics:collect', id }, () => collections.get(id)?.forget(worker));
      }
      finishIfComplete();
    });
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isClusterMetricsMessage<WorkerToPrimaryMessage>(message)) return;
    switch (message.type) {
      case 'remedy:metrics:answering':
        answering.add(worker);
        return;
      case 'remedy:metrics:withdrawn':
        forget(worker);
        return;
      case 'remedy:metrics:collected':
        collections.get(message.id)?.answered(worker, message.metrics);
        return;
      case 'remedy:metrics:collect-failed':
        collections.get(message.id)?.failed(new Error(`worker ${worker.process.pid}: ${message.error}`));
        return;
      case 'remedy:metrics:scrape':
        collect().then(
          (text) => sendTo(worker, { type: 'remedy:metrics:scraped', id: message.id, text }),
          (error: unknown) =>
            sendTo(worker, { type: 'remedy:metrics:scrape-failed', id: message.id, error: errorText(error) }),
        );
        return;
    }
  };

  cluster.on('message', onMessage);
  cluster.on('exit', forget);
  return () => {
    cluster.off('message', onMessage);
    cluster.off('exit', forget);
  };
}

/**
 * A worker may exit between being counted and being written to: the channel's error goes to `onClosed`
 * (by default nowhere: the scrape it answered has nobody left to read it) instead of crashing the primary.
 */
function sendTo(
  worker: Worker,
  message: PrimaryToWorkerMessage,
  onClosed: () => void = () => undefined,
): void {
  worker.send(message, undefined, {}, (error: Error | null) => {
    if (error !== null) onClosed();
  });
}
