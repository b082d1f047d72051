import { Queue } from 'bullmq';
import pg from 'pg';
import { MarkBeforePublishRelay } from '../../katas/mark-before-publish-relay.flawed.js';
import { BullMqPublisher, OutboxRelay, type OutboxJobOptions } from '../../src/index.js';
import { bullMqConnection } from './bullmq-connection.js';
import { PacedPublisher } from './paced-publisher.js';

/**
 * A relay in a process of its own, for the kill -9 proof: it processes one batch through a paced
 * publisher and reports progress over IPC, so the parent can SIGKILL it half-way through the batch.
 */
export interface RelayProcessConfig {
  variant: 'flawed' | 'remediated';
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  queueName: string;
  batchSize: number;
  chunkSize: number;
  pauseMs: number;
  jobOptions: OutboxJobOptions;
}

export interface RelayProcessProgress {
  published: number;
}

async function main(config: RelayProcessConfig): Promise<void> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  const queue = new Queue(config.queueName, {
    connection: bullMqConnection(config.redisUrl),
    prefix: config.prefix,
  });
  const publisher = new PacedPublisher(new BullMqPublisher({ queue, jobOptions: config.jobOptions }), {
    chunkSize: config.chunkSize,
    pauseMs: config.pauseMs,
    onProgress: (published) => process.send?.({ published } satisfies RelayProcessProgress),
  });
  try {
    if (config.variant === 'flawed')
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
