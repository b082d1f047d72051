import { Queue, Worker, type Job } from 'bullmq';
import type pg from 'pg';
import {
  defineFinding,
  waitForQueuesIdle,
  waitUntil,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import { MarkBeforePublishRelay } from '../katas/mark-before-publish-relay.flawed.js';
import { RandomJobIdPublisher } from '../katas/random-job-id-publisher.flawed.js';
import {
  BullMqPublisher,
  OutboxRelay,
  runOnce,
  writeOutboxMessages,
  type OutboxEnvelope,
  type OutboxJobOptions,
} from '../src/index.js';
import { bullMqConnection } from './support/bullmq-connection.js';
import { RelayProcessHandle } from './support/relay-process-handle.js';
import type { JobIdKind, RelayKind } from './support/relay-process.js';

const MESSAGES = 100;
const BATCH_SIZE = 50;
const KILL_AFTER_PUBLISHED = 20;
const QUEUE = 'credits';

/*
 * Completed jobs are removed at once, so BullMQ's own job-id dedupe cannot absorb the republish and every
 * redelivery reaches the consumer: the proof then rests on the consumer's guard, the worst case.
 */
const JOB_OPTIONS: OutboxJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 100 },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

interface CreditPayload {
  account: string;
  amount: number;
}

type PutBack = 'consumer without the guard' | 'random job id';

interface Design {
  /** The relay at the seam, in the killed process and in the one that takes over. */
  relay: RelayKind;
  jobIds: JobIdKind;
  /** Whether the consumer applies a credit through runOnce (keyed by the job id) or directly. */
  guarded: boolean;
}

const DESIGNS: Record<'flawed' | 'remediated' | PutBack, Design> = {
  flawed: { relay: 'mark-before-publish', jobIds: 'outbox-id', guarded: true },
  remediated: { relay: 'outbox-relay', jobIds: 'outbox-id', guarded: true },
  'consumer without the guard': { relay: 'outbox-relay', jobIds: 'outbox-id', guarded: false },
  'random job id': { relay: 'outbox-relay', jobIds: 'random', guarded: true },
};

async function applyCredit(tx: { query: pg.PoolClient['query'] }, outboxId: string, payload: CreditPayload) {
  await tx.query('INSERT INTO kata_credits (message_id, account, amount) VALUES ($1, $2, $3)', [
    outboxId,
    payload.account,
    payload.amount,
  ]);
  await tx.query('UPDATE kata_accounts SET balance = balance + $2 WHERE account = $1', [
    payload.account,
    payload.amount,
  ]);
}

async function measure(run: keyof typeof DESIGNS, ctx: FindingContext): Promise<Measurement> {
  const design = DESIGNS[run];
  await ctx.pool.query(`INSERT INTO kata_accounts (account, balance) VALUES ('acct', 0)`);
  await writeOutboxMessages(
    ctx.pool,
    Array.from({ length: MESSAGES }, () => ({
      topic: 'account.credited',
      payload: { account: 'acct', amount: 1 },
    })),
  );

  const connection = bullMqConnection(ctx.redisUrl);
  const queue = new Queue(QUEUE, { connection, prefix: ctx.prefix });
  let redeliveriesAbsorbed = 0;
  const worker = new Worker<OutboxEnvelope<CreditPayload>>(
    QUEUE,
    async (job: Job<OutboxEnvelope<CreditPayload>>) => {
      const { outboxId, payload } = job.data;
      const client = await ctx.pool.connect();
      try {
        if (!design.guarded) {
          await applyCredit(client, outboxId, payload);
          return;
        }
        // The guard's key is the job id, which the library's publisher sets to the outbox id.
        const outcome = await runOnce(client, 'balance-projector', job.id ?? outboxId, (tx) =>
          applyCredit(tx as pg.PoolClient, outboxId, payload),
        );
        if (!outcome.applied) redeliveriesAbsorbed += 1;
      } finally {
        client.release();
      }
    },
    { connection, prefix: ctx.prefix, concurrency: 5 },
  );

  try {
    const child = new RelayProcessHandle({
      relay: design.relay,
      jobIds: design.jobIds,
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      queueName: QUEUE,
      batchSize: BATCH_SIZE,
      chunkSize: 10,
      pauseMs: 500,
      jobOptions: JOB_OPTIONS,
    });
    const publishedBeforeKill = await child.waitForPublished(KILL_AFTER_PUBLISHED, 30_000);
    await child.killHard();
    ctx.log(
      `${run}: relay process killed with SIGKILL after publishing ${publishedBeforeKill} of a ${BATCH_SIZE}-message batch`,
    );

    await finishWithFreshRelay(design, ctx, queue);
    await waitForQueuesIdle([queue], { timeoutMs: 20_000 });

    const { rows } = await ctx.pool.query<{ effects: number; distinct_messages: number; balance: string }>(
      `SELECT count(*)::int AS effects, count(DISTINCT message_id)::int AS distinct_messages,
              (SELECT balance FROM kata_accounts WHERE account = 'acct') AS balance
       FROM kata_credits`,
    );
    const effects = rows[0]?.effects ?? 0;
    const distinct = rows[0]?.distinct_messages ?? 0;
    const lost = MESSAGES - distinct;
    const duplicates = effects - distinct;
    return {
      value: lost + duplicates,
      details: {
        messages: MESSAGES,
        publishedBeforeKill,
        lost,
        duplicateEffects: duplicates,
        redeliveriesAbsorbed,
        balance: Number(rows[0]?.balance ?? 0),
      },
    };
  } finally {
    await worker.close();
    await queue.close();
  }
}

/* The replacement relay runs in this process, of the same design as the killed one. */
async function finishWithFreshRelay(design: Design, ctx: FindingContext, queue: Queue): Promise<void> {
  const publisher =
    design.jobIds === 'random'
      ? new RandomJobIdPublisher(queue, JOB_OPTIONS)
      : new BullMqPublisher({ queue, jobOptions: JOB_OPTIONS });
  const allMarked = async (): Promise<boolean> => {
    const { rows } = await ctx.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    return rows[0]?.n === 0;
  };
  if (design.relay === 'mark-before-publish') {
    const relay = new MarkBeforePublishRelay(ctx.pool, publisher, BATCH_SIZE);
    await waitUntil(
      'the kata relay to drain the outbox',
      async () => (await relay.processBatch()) === 0 && (await allMarked()),
      20_000,
    );
    return;
  }
  const relay = new OutboxRelay({ pool: ctx.pool, publisher, batchSize: BATCH_SIZE, pollIntervalMs: 50 });
  await relay.start();
  try {
    await waitUntil('the fresh relay to drain the outbox', allMarked, 20_000);
  } finally {
    await relay.stop();
  }
}

export default defineFinding({
  id: 'lib:outbox-relay-kill-9',
  title: 'A relay killed mid-batch loses messages or applies them twice',
  explanation:
    "A relay that marks rows published before it publishes loses every message of a batch when it dies between the two steps. Our relay claims rows with FOR UPDATE SKIP LOCKED and marks them only after publishing, in the same transaction, so a killed relay's batch is claimed again; the publisher sets the job id to the outbox id and the consumer's guard (processed_messages keyed by that id) turns the resulting redelivery into no second effect, even once BullMQ has forgotten the completed job.",
  fix: ['src/outbox-relay.ts', 'src/outbox-relay-queries.ts', 'src/processed-message-guard.ts'],
  metric: { name: 'messages lost + duplicate effects', unit: 'messages', better: 'lower' },
  seam: 'the relay in a process SIGKILLed mid-batch and in the one that takes over (same outbox, queue, consumer) ← katas/mark-before-publish-relay.flawed.ts MarkBeforePublishRelay',
  flawsPutBack: {
    'consumer without the guard':
      "the library's relay, but the consumer applies each credit directly, without the processed_messages guard",
    'random job id':
      "the library's relay with a publisher that gives every add a fresh job id, so the consumer's guard (keyed by the job id) takes the republished batch for new messages",
  } satisfies Record<PutBack, string>,
  measure,
  flawed: (v) => v > 0,
  remediated: (v) => v === 0,
  timeoutMs: 60_000,
});
