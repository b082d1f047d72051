import type { BulkJobOptions, Queue } from 'bullmq';
import { toEnvelope, type OutboxRecord } from './outbox-message.js';
import type { PublishFailure, PublishReport, QueuePublisher } from './queue-publisher.js';

export type OutboxJobOptions = Pick<
  BulkJobOptions,
  'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail' | 'priority'
>;

export interface BullMqPublisherOptions {
  /** One queue, or a queue per topic. The job name is the topic, the job data an `OutboxEnvelope`. */
  queue: Queue | ((topic: string) => Queue);
  jobOptions?: OutboxJobOptions;
}

/*
 * Explicit bounds (DESIGN §6.7): completed jobs are kept a day, which is also the window in which BullMQ
 * itself drops a republished id; past it the consumer's guard is what keeps the effect single.
 */
export const DEFAULT_OUTBOX_JOB_OPTIONS: OutboxJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 50_000 },
};

/** BullMQ rejects purely numeric custom ids, so the outbox id gets a prefix. */
export function outboxJobId(outboxId: string): string {
  return `outbox-${outboxId}`;
}

/**
 * Publishes with `jobId` = outbox id: BullMQ ignores an add whose id already exists, so a batch that a
 * crashed relay had partly published is republished without a second job for the same message.
 */
export class BullMqPublisher implements QueuePublisher {
  private readonly jobOptions: OutboxJobOptions;

  constructor(private readonly options: BullMqPublisherOptions) {
    this.jobOptions = { ...DEFAULT_OUTBOX_JOB_OPTIONS, ...options.jobOptions };
  }

  async publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    const groups = new Map<Queue, OutboxRecord[]>();
    for (const record of records) {
      const queue = this.queueFor(record.topic);
      const group = groups.get(queue);
      if (group) group.push(record);
      else groups.set(queue, [record]);
    }
    const outcomes = await Promise.all([...groups].map(([queue, group]) => this.addGroup(queue, group)));
    return { failed: outcomes.flat() };
  }

  /* addBulk runs as one Redis MULTI: the group lands whole or not at all. */
  private async addGroup(queue: Queue, records: OutboxRecord[]): Promise<PublishFailure[]> {
    try {
      await queue.addBulk(
        records.map((record) => ({
          name: record.topic,
          data: toEnvelope(record),
          opts: { ...this.jobOptions, jobId: outboxJobId(record.id) },
        })),
      );
      return [];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return records.map((record) => ({ id: record.id, error: message }));
    }
  }

  private queueFor(topic: string): Queue {
    return typeof this.options.queue === 'function' ? this.options.queue(topic) : this.options.queue;
  }
}
