import type { OutboxRecord, PublishReport, QueuePublisher } from '../../src/index.js';

/**
 * A stand-in queue for relay tests that need to see every publish call: BullMQ would hide a double
 * publish behind its job-id dedupe, which is exactly what these tests must be able to notice.
 */
export class RecordingPublisher implements QueuePublisher {
  readonly published: OutboxRecord[] = [];
  calls = 0;
  delayMs = 0;
  failWith: ((record: OutboxRecord) => string | undefined) | undefined;

  async publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    this.calls += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failed = records.flatMap((record) => {
      const error = this.failWith?.(record);
      return error === undefined ? [] : [{ id: record.id, error }];
    });
    const failedIds = new Set(failed.map((f) => f.id));
    this.published.push(...records.filter((r) => !failedIds.has(r.id)));
    return { failed };
  }
}
