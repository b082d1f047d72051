import { Queue } from 'bullmq';
import pg from 'pg';
import { MarkBeforePublishRelay } from '../../katas/mark-before-publish-relay.flawed.js';
import { RandomJobIdPublisher } from '../../katas/random-job-id-publisher.flawed.js';
import { BullMqPublisher, OutboxRelay, type OutboxJobOptions } from '../../src/index.js';
import { bullMqConnection } from './bullmq-connection.js';
import { PacedPublisher } from './paced-publisher.js';

/**
 * A relay in a process of its own, for the kill -9 proof: it processes one batch through a paced
 * publisher and reports progress over IPC, so the parent can SIGKILL it half-way through the batch.
 */
export interface RelayProcessConfig {
  /** The relay at the seam: the library's, or the kata that marks rows before it publishes them. */
  relay: RelayKind;
  /** Job ids: the outbox id (the library's publisher) or a fresh id per add (a flaw put back). */
  jobIds: JobIdKind;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  queueName: string;
  batchSize: number;
  chunkSize: number;
  pauseMs: number;
  jobOptions: OutboxJobOptions;
}

export type RelayKind = 'outbox-relay' | 'mark-before-publish';
export type JobIdKind = 'outbox-id' | 'random';

export interface RelayProcessProgress {
  published: number;
}

async function main(config: RelayProcessConfig): Promise<void> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  const queue = new Queue(config.queueName, {
    connection: bullMqConnection(config.redisUrl),
    prefix: config.prefix,
  });
  const inner =
    config.jobIds === 'random'
      ? new RandomJobIdPublisher(queue, config.jobOptions)
      : new BullMqPublisher({ queue, jobOptions: config.jobOptions });
  const publisher = new PacedPublisher(inner, {
    chunkSize: config.chunkSize,
    pauseMs: config.pauseMs,
    onProgress: (published) => process.send?.({ published } satisfies RelayProcessProgress),
  });
  try {
    if (config.relay === 'mark-before-publish')
      await new MarkBeforePublishRelay(pool, publisher, config.batchSize).processBatch();
    else
      await new OutboxRelay({ pool, publisher, batchSize: config.batchSize, listen: false }).processBatch();
  } finally {
    await queue.close();
    await pool.end();
    process.disconnect?.();
  }
}

const [, , configJson] = process.argv;
if (!configJson) throw new Error('relay-process: pass the RelayProcessConfig as JSON in argv[2]');
await main(JSON.parse(configJson) as RelayProcessConfig);
