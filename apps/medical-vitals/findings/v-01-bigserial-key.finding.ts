import { defineFinding, type FindingContext } from '@remedy/testing';
import {
  BIGSERIAL_VITAL_DATA_SQL,
  SURROGATE_KEY_ON_PARTITIONS_SQL,
} from '../katas/v-01-bigserial-key.flawed.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const READINGS = 50;

const FLAWS = {
  'surrogate key on the partitions':
    'the daily partitions kept, keyed by a BIGSERIAL data_id plus recorded_at instead of the reading',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const SCHEMA: Record<Run, string | undefined> = {
  flawed: BIGSERIAL_VITAL_DATA_SQL,
  remediated: undefined,
  'surrogate key on the partitions': SURROGATE_KEY_ON_PARTITIONS_SQL,
};

async function measure(run: Run, ctx: FindingContext): Promise<number> {
  const schema = SCHEMA[run];
  if (schema !== undefined) await ctx.pool.query(schema);
  const app = await startTestApp(ctx, {
    ALERT_EVALUATOR_ENABLED: 'false',
    DEVICE_RATE_BURST: '500',
    DEVICE_RATE_PER_SECOND: '500',
  });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    const batch = readings(READINGS);
    // The device sends, loses the acks, and sends the same readings again.
    client.sendReadings(batch);
    await client.untilAcked(READINGS - 1);
    client.sendReadings(batch);
    await client.until(() => client.replies.filter((reply) => reply.type === 'ack').length === 2);
    client.close();
    const { rows } = await ctx.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM vital_data WHERE device_id = $1',
      [device!.id],
    );
    return rows[0]!.n - READINGS;
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-01',
  title: 'BIGSERIAL key on a 5,000 writes/s table: a resent reading is stored twice',
  explanation:
    'The original table keys each row by a sequence number, so the identity of a reading is whatever number the ' +
    'insert drew: a device that resends after a lost ack creates a duplicate, and every writer contends on one ' +
    'sequence. The remedy keys vital_data by (patient_id, device_id, recorded_at) on a daily-partitioned table; the ' +
    'batched insert says ON CONFLICT DO NOTHING, so a resend is acknowledged again and stored once. Both variants ' +
    "run the real service and its insert; only the table's key differs.",
  fix: ['src/migrations/1764000000000-initial-schema.ts', 'src/storage/vital-data.sql.ts'],
  metric: { name: `duplicate rows after resending ${READINGS} readings`, unit: 'rows', better: 'lower' },
  difficulty: 2,
  hints: [
    'A device resends a reading after a lost ack. What in your table says it is the same reading?',
    "A sequence number is new on every insert; the reading's identity is who measured it and when.",
    'Key the table by (patient_id, device_id, recorded_at), and let the insert skip rows it already has.',
    'The technique: a natural composite primary key with INSERT … ON CONFLICT DO NOTHING (idempotent writes).',
  ],
  seam: "the vital_data schema the migrations build ← katas/v-01-bigserial-key.flawed.ts (the review's BIGSERIAL table, in its place); the real service ingests over WebSocket on both",
  flawsPutBack: FLAWS,
  measure,
  flawed: (duplicates) => duplicates > 0,
  remediated: (duplicates) => duplicates === 0,
});
