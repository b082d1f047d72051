import { useTestContext } from '@remedy/testing';
import { spawnApiCluster } from '../bench/support/api-cluster-process.js';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';

const ctx = useTestContext(medicalVitalsHarness);

const DEVICES = 20;
const READINGS = 3;

/** The value of an unlabelled-but-for-`service` series in a Prometheus text exposition. */
function sample(exposition: string, name: string): number | undefined {
  const line = exposition
    .split('\n')
    .find((text) => text.startsWith(`${name}{`) || text.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('INGEST_WORKERS=2: both processes take devices, every reading is stored once and counted once by /metrics, SIGTERM stops both cleanly', async () => {
  const { devices } = await seedRegistry(ctx.pool, { patients: DEVICES });
  const api = await spawnApiCluster(ctx, { INGEST_WORKERS: '2', ALERT_EVALUATOR_ENABLED: 'false' });
  try {
    expect(api.pids()).toHaveLength(3);
    const clients = await Promise.all(
      devices.map((device) => DeviceClient.open(api.wsUrl, device.id, device.token)),
    );
    for (const client of clients) client.sendReadings(readings(READINGS));
    await Promise.all(clients.map((client) => client.untilAcked(READINGS - 1)));
    // One scrape lands on one worker (the port is shared) and must count what every worker took.
    const exposition = await (await fetch(`${api.url}/metrics`)).text();
    expect({
      received: sample(exposition, 'vitals_readings_received_total'),
      stored: sample(exposition, 'vitals_readings_stored_total'),
    }).toEqual({ received: DEVICES * READINGS, stored: DEVICES * READINGS });
    // …while a gauge every worker reads from the same table (an alert's threshold is on it) is not doubled.
    const { rows: active } = await ctx.pool.query<{ bytes: number }>(
      `SELECT pg_total_relation_size(c.oid)::float8 AS bytes FROM pg_class c
        WHERE c.relname = 'vital_data_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')`,
    );
    expect(active[0]?.bytes).toBeGreaterThan(0);
    expect(sample(exposition, 'vitals_active_partition_bytes')).toBe(active[0]?.bytes);

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
