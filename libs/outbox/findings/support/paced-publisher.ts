import type { OutboxRecord, PublishReport, QueuePublisher } from '../../src/index.js';

export interface PacedPublisherOptions {
  chunkSize: number;
  pauseMs: number;
  /** Called with the running total after each chunk reached the queue. */
  onProgress(published: number): void;
}

/**
 * Slows a publisher down to a known rhythm so a proof can kill the relay at a chosen point of a batch:
 * after some records reached the queue and before the relay could record it.
 */
export class PacedPublisher implements QueuePublisher {
  constructor(
    private readonly inner: QueuePublisher,
    private readonly options: PacedPublisherOptions,
  ) {}

  async publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    const failed: PublishReport['failed'] = [];
    for (let start = 0; start < records.length; start += this.options.chunkSize) {
      const report = await this.inner.publish(records.slice(start, start + this.options.chunkSize));
      failed.push(...report.failed);
      this.options.onProgress(Math.min(start + this.options.chunkSize, records.length));
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
    return { failed };
  }
}
