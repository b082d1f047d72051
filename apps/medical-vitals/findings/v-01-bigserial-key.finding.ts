import { defineFinding, type FindingContext } from '@remedy/testing';
import { BIGSERIAL_VITALS_SQL, saveVital } from '../katas/v-01-bigserial-key.flawed.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const READINGS = 50;

async function flawed(ctx: FindingContext): Promise<number> {
  await ctx.pool.query(BIGSERIAL_VITALS_SQL);
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  const batch = readings(READINGS);
  // The device sends, loses the acks, and sends the same readings again.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    for (const reading of batch) {
      await saveVital(ctx.pool, {
        patientId: device!.patientId,
        deviceId: device!.id,
        recordedAt: reading.recordedAt,
        heartRate: reading.heartRate!,
        spo2: reading.spo2!,
      });
    }
  }
  const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM kata_v01_vital_data');
  return rows[0]!.n - READINGS;
}

async function remediated(ctx: FindingContext): Promise<number> {
  const app = await startTestApp(ctx, {
    ALERT_EVALUATOR_ENABLED: 'false',
    DEVICE_RATE_BURST: '500',
    DEVICE_RATE_PER_SECOND: '500',
  });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    const batch = readings(READINGS);
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
    'batched insert says ON CONFLICT DO NOTHING, so a resend is acknowledged again and stored once.',
  fix: ['src/migrations/1764000000000-initial-schema.ts', 'src/storage/vital-data.sql.ts'],
  metric: { name: `duplicate rows after resending ${READINGS} readings`, unit: 'rows', better: 'lower' },
  measure: (variant, ctx) => (variant === 'flawed' ? flawed(ctx) : remediated(ctx)),
  flawed: (duplicates) => duplicates > 0,
  remediated: (duplicates) => duplicates === 0,
});
