import { useTestContext, waitUntil } from '@remedy/testing';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';

const ctx = useTestContext(medicalVitalsHarness);

const REGISTER = new URL('../../../scripts/register.js', import.meta.url).pathname;
const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const DEVICES = 20;
const READINGS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

test('INGEST_WORKERS=2: both processes take devices, every reading is stored once, SIGTERM stops both cleanly', async () => {
  const { devices } = await seedRegistry(ctx.pool, { patients: DEVICES });
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: ctx.redisUrl,
      REDIS_KEY_PREFIX: ctx.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      INGEST_WORKERS: '2',
      LOG_LEVEL: 'info',
      ALERT_EVALUATOR_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitUntil(
      'both workers listening',
      () => output.split('medical-vitals listening').length - 1 === 2,
      60_000,
    );
    const wsUrl = `ws://127.0.0.1:${port}`;
    const clients = await Promise.all(
      devices.map((device) => DeviceClient.open(wsUrl, device.id, device.token)),
    );
    for (const client of clients) client.sendReadings(readings(READINGS));
    await Promise.all(clients.map((client) => client.untilAcked(READINGS - 1)));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Each worker drains its own devices on the way out and says how many: both had some, together all.
    const drained = [...output.matchAll(/"pid":(\d+)[^\n]*ingest drained: (\d+) devices/g)].map((match) => ({
      pid: match[1],
      devices: Number(match[2]),
    }));
    expect(new Set(drained.map((worker) => worker.pid)).size).toBe(2);
    expect(drained.every((worker) => worker.devices > 0)).toBe(true);
    expect(drained.reduce((sum, worker) => sum + worker.devices, 0)).toBe(DEVICES);
    const { rows } = await ctx.pool.query<{ n: number; distinct: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT (device_id, seq))::int AS distinct FROM vital_data',
    );
    expect(rows[0]).toEqual({ n: DEVICES * READINGS, distinct: DEVICES * READINGS });
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
}, 120_000);
