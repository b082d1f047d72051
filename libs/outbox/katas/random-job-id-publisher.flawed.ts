import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import {
  toEnvelope,
  type OutboxJobOptions,
  type OutboxRecord,
  type PublishReport,
  type QueuePublisher,
} from '../src/index.js';

/**
 * Kata (flaw put back) — a publisher that lets each add get a fresh job id (a UUID, as `queue.add` without
 * `jobId` effectively does) instead of the outbox id. Every republish of a batch a killed relay could not
 * mark is then a brand-new job, and a consumer that dedupes on the job id sees it as a new message.
 */
export class RandomJobIdPublisher implements QueuePublisher {
  constructor(
    private readonly queue: Queue,
    private readonly jobOptions: OutboxJobOptions,
  ) {}

  async publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    try {
      await this.queue.addBulk(
        records.map((record) => ({
          name: record.topic,
          data: toEnvelope(record),
          opts: { ...this.jobOptions, jobId: randomUUID() },
        })),
      );
      return { failed: [] };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { failed: records.map((record) => ({ id: record.id, error: message })) };
    }
  }
}
