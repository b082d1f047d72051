import { useTestContext } from '@remedy/testing';
import { spawnApiCluster } from '../bench/support/api-cluster-process.js';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';

const ctx = useTestContext(medicalVitalsHarness);

const DEVICES = 20;
const READINGS = 3;

test('INGEST_WORKERS=2: both processes take devices, every reading is stored once, SIGTERM stops both cleanly', async () => {
  const { devices } = await seedRegistry(ctx.pool, { patients: DEVICES });
  const api = await spawnApiCluster(ctx, { INGEST_WORKERS: '2', ALERT_EVALUATOR_ENABLED: 'false' });
  try {
    expect(api.pids()).toHaveLength(3);
    const clients = await Promise.all(
      devices.map((device) => DeviceClient.open(api.wsUrl, device.id, device.token)),
    );
    for (const client of clients) client.sendReadings(readings(READINGS));
    await Promise.all(clients.map((client) => client.untilAcked(READINGS - 1)));

    expect(await api.stop()).toBe(0);
    // Each worker drains its own devices on the way out and says how many: both had some, together all.
    const drained = [...api.output().matchAll(/"pid":(\d+)[^\n]*ingest drained: (\d+) devices/g)].map(
      (match) => ({
        pid: match[1],
        devices: Number(match[2]),
      }),
    );
    expect(new Set(drained.map((worker) => worker.pid)).size).toBe(2);
    expect(drained.every((worker) => worker.devices > 0)).toBe(true);
    expect(drained.reduce((sum, worker) => sum + worker.devices, 0)).toBe(DEVICES);
    const { rows } = await ctx.pool.query<{ n: number; distinct: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT (device_id, seq))::int AS distinct FROM vital_data',
    );
    expect(rows[0]).toEqual({ n: DEVICES * READINGS, distinct: DEVICES * READINGS });
  } finally {
    await api.stop();
  }
}, 120_000);
