import { useTestContext } from '@remedy/testing';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { spawnApiCluster, startApiProcess } from '../bench/support/api-cluster-process.js';
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
}, 300_000);

test('INGEST_WORKERS=2 whose workers cannot start (another process holds the port): the primary replaces them up to the restart limit, then exits 1', async () => {
  const WORKERS = 2;
  const RESTART_LIMIT = 3;
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const { app } = await startApiProcess(ctx, {
    INGEST_WORKERS: String(WORKERS),
    PORT: String((holder.address() as AddressInfo).port),
    INGEST_WORKER_RESTART_LIMIT: String(RESTART_LIMIT),
    // A window no test run outlasts: the bound is on the count, whatever the machine's speed.
    INGEST_WORKER_RESTART_WINDOW_SECONDS: '3600',
    ALERT_EVALUATOR_ENABLED: 'false',
  });
  const forks = (): number => WORKERS + (app.output().split('starting another').length - 1);
  try {
    // Without a bound the primary forks for as long as it runs: one fork past the bound is proof enough.
    const ended = await app
      .untilOutput(() => forks() > WORKERS + RESTART_LIMIT, 'one fork past the bound')
      .then(
        () => 'kept forking',
        () => 'exited',
      );
    expect({ ended, forks: forks() }).toEqual({ ended: 'exited', forks: WORKERS + RESTART_LIMIT });
    expect((await app.exited).code).toBe(1);
    expect(app.output()).toContain(
      `${RESTART_LIMIT + 1} workers exited within 3600 s (limit ${RESTART_LIMIT}): stopping the rest and exiting`,
    );
  } finally {
    await app.terminate();
    holder.close();
  }
}, 300_000);
