import { Queue } from 'bullmq';
import type pg from 'pg';
import { defineBench } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { bullMqConnection } from '../findings/support/bullmq-connection.js';
import {
  BullMqPublisher,
  CORRELATION_ID_HEADER,
  DEFAULT_OUTBOX_JOB_OPTIONS,
  OutboxRelay,
  outboxJobId,
  writeOutboxMessages,
} from '../src/index.js';

const MESSAGES = 20_000;
const BATCH = 500;
const WRITE_CHUNK = 1_000;

const payload = (i: number): { registrationId: number; eventId: number; email: string } => ({
  registrationId: i,
  eventId: 42,
  email: `user${i}@example.test`,
});

async function writeMessages(pool: pg.Pool): Promise<void> {
  const offset = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]?.n ?? 0;
  for (let start = 0; start < MESSAGES; start += WRITE_CHUNK) {
    await writeOutboxMessages(
      pool,
      Array.from({ length: WRITE_CHUNK }, (_, k) => ({
        topic: 'registration.confirmed',
        payload: payload(offset + start + k),
      })),
    );
  }
}

/* Seconds from start until `relays` relays running side by side have published MESSAGES rows. */
async function timeRelays(pool: pg.Pool, queue: Queue, relays: number): Promise<number> {
  let published = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const metrics = {
    published: (count: number): void => {
      published += count;
      if (published >= MESSAGES) finish();
    },
  };
  const running = Array.from(
    { length: relays },
    () => new OutboxRelay({ pool, publisher: new BullMqPublisher({ queue }), batchSize: BATCH, metrics }),
  );
  const started = performance.now();
  await Promise.all(running.map((relay) => relay.start()));
  await done;
  const seconds = (performance.now() - started) / 1_000;
  await Promise.all(running.map((relay) => relay.stop()));
  return seconds;
}

/*
 * The same 20,000 messages straight into BullMQ with addBulk (the ceiling, no durability) and through the
 * outbox relay (claim, addBulk, mark published, commit per batch), then through two relays side by side
 * (SKIP LOCKED). Batch size and job options are the same on every side, so the ratio is the price of the
 * outbox's guarantee.
 */
export default defineBench({
  name: 'outbox: relay throughput vs raw BullMQ addBulk',
  harness: outboxHarness,
  async run(ctx) {
    const connection = bullMqConnection(ctx.redisUrl);
    const rawQueue = new Queue('raw', { connection, prefix: ctx.prefix });
    const relayQueue = new Queue('relayed', { connection, prefix: ctx.prefix });
    try {
      const rawStarted = performance.now();
      for (let start = 0; start < MESSAGES; start += BATCH) {
        await rawQueue.addBulk(
          Array.from({ length: Math.min(BATCH, MESSAGES - start) }, (_, k) => ({
            name: 'registration.confirmed',
            data: {
              outboxId: String(start + k + 1),
              topic: 'registration.confirmed',
              payload: payload(start + k),
              headers: { [CORRELATION_ID_HEADER]: `c-${start + k}` },
            },
            opts: { ...DEFAULT_OUTBOX_JOB_OPTIONS, jobId: outboxJobId(String(start + k + 1)) },
          })),
        );
      }
      const rawSeconds = (performance.now() - rawStarted) / 1_000;
      ctx.log(`raw addBulk: ${MESSAGES} jobs in ${rawSeconds.toFixed(2)} s`);

      await writeMessages(ctx.pool);
      ctx.log(`outbox: ${MESSAGES} rows written`);

      const oneRelaySeconds = await timeRelays(ctx.pool, relayQueue, 1);
      ctx.log(`one relay: ${MESSAGES} messages published in ${oneRelaySeconds.toFixed(2)} s`);
      await writeMessages(ctx.pool);
      const twoRelaysSeconds = await timeRelays(ctx.pool, relayQueue, 2);
      ctx.log(`two relays: ${MESSAGES} messages published in ${twoRelaysSeconds.toFixed(2)} s`);

      const rawPerSecond = Math.round(MESSAGES / rawSeconds);
      const relayPerSecond = Math.round(MESSAGES / oneRelaySeconds);
      const twoRelaysPerSecond = Math.round(MESSAGES / twoRelaysSeconds);
      return {
        messages: MESSAGES,
        batchSize: BATCH,
        rawAddBulkPerSecond: rawPerSecond,
        relayPerSecond,
        relayToRawRatio: Number((relayPerSecond / rawPerSecond).toFixed(2)),
        twoRelaysPerSecond,
        twoRelaysToRawRatio: Number((twoRelaysPerSecond / rawPerSecond).toFixed(2)),
        relayQueueJobs: await relayQueue.count(),
      };
    } finally {
      await rawQueue.obliterate({ force: true });
      await relayQueue.obliterate({ force: true });
      await rawQueue.close();
      await relayQueue.close();
    }
  },
});
