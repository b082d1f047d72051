import type { OnModuleDestroy } from '@nestjs/common';
import type { Registry } from 'prom-client';
import {
  errorText,
  isClusterMetricsMessage,
  type PrimaryToWorkerMessage,
  type WorkerToPrimaryMessage,
} from './cluster-metrics.messages.js';
import type { MetricsExposition } from './metrics-exposition.js';

/**
 * `/metrics` of a node:cluster worker: the workers share the port, so a scrape lands on one of them, and the
 * process's own registry would be that worker's share alone. This asks the primary (which runs
 * `aggregateWorkerMetrics`) for the sum over every worker instead, and answers the primary's requests for this
 * worker's own metrics.
 */
export class ClusterMetricsExposition implements MetricsExposition, OnModuleDestroy {
  readonly contentType: string;
  private readonly scrapes = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  private nextScrape = 0;

  constructor(private readonly registry: Registry) {
    this.contentType = registry.contentType;
    process.on('message', this.onMessage);
    send({ type: 'remedy:metrics:answering' });
  }

  metrics(): Promise<string> {
    const id = this.nextScrape++;
    return new Promise((resolve, reject) => {
      this.scrapes.set(id, { resolve, reject });
      send({ type: 'remedy:metrics:scrape', id }, (error) => {
        this.scrapes.delete(id);
        reject(error);
      });
    });
  }

  onModuleDestroy(): void {
    process.off('message', this.onMessage);
    send({ type: 'remedy:metrics:withdrawn' });
    for (const scrape of this.scrapes.values()) scrape.reject(new Error('metrics closed'));
    this.scrapes.clear();
  }

  private readonly onMessage = (message: unknown): void => {
    if (!isClusterMetricsMessage<PrimaryToWorkerMessage>(message)) return;
    switch (message.type) {
      case 'remedy:metrics:collect':
        this.registry.getMetricsAsJSON().then(
          (metrics) => send({ type: 'remedy:metrics:collected', id: message.id, metrics }),
          (error: unknown) =>
            send({ type: 'remedy:metrics:collect-failed', id: message.id, error: errorText(error) }),
        );
        return;
      case 'remedy:metrics:scraped':
        this.scrapes.get(message.id)?.resolve(message.text);
        this.scrapes.delete(message.id);
        return;
      case 'remedy:metrics:scrape-failed':
        this.scrapes.get(message.id)?.reject(new Error(`cluster metrics: ${message.error}`));
        this.scrapes.delete(message.id);
        return;
    }
  };
}

/** To the primary; a closed channel (the primary is gone, the worker is on its way out) is not worth a crash. */
function send(message: WorkerToPrimaryMessage, onError: (error: Error) => void = () => undefined): void {
  if (process.send === undefined) {
    onError(new Error('not a node:cluster worker'));
    return;
  }
  process.send(message, undefined, {}, (error: Error | null) => {
    if (error !== null) onError(error);
  });
}
