import { useTestContext, waitUntil } from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(medicalVitalsHarness);

test('an entry a crashed consumer read but never acked is reclaimed and evaluated', async () => {
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  await ctx.pool.query("INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'temperature', 38)", [
    device!.patientId,
  ]);
  const stream = `${ctx.prefix}:vitals:stored`;
  const reading = {
    patientId: device!.patientId,
    wardId: device!.wardId,
    deviceId: device!.id,
    seq: 1,
    recordedAt: new Date().toISOString(),
    heartRate: null,
    spo2: null,
    systolic: null,
    diastolic: null,
    temperature: 39.5,
  };
  await ctx.redis.xgroup('CREATE', stream, 'alerts', '0', 'MKSTREAM');
  await ctx.redis.xadd(stream, '*', 'readings', JSON.stringify([reading]), 'traceparent', '');
  const taken = (await ctx.redis.xreadgroup(
    'GROUP',
    'alerts',
    'crashed-consumer',
    'STREAMS',
    stream,
    '>',
  )) as [string, [string, string[]][]][] | null;
  expect(taken?.[0]?.[1]).toHaveLength(1);

  const app = await startTestApp(ctx, { ALERT_RECLAIM_IDLE_MS: '1000' });
  try {
    await waitUntil(
      'the reclaimed entry to raise its alert',
      async () => {
        const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
        return rows[0]!.n === 1;
      },
      15_000,
    );
    await waitUntil('the entry to be acknowledged', async () => {
      const pending = (await ctx.redis.xpending(stream, 'alerts')) as [number, ...unknown[]];
      return pending[0] === 0;
    });
  } finally {
    await app.close();
  }
});
