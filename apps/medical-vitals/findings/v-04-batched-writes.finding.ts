import { queryEvents } from '@remedy/pooling';
import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import { InsertPerReadingWriter } from '../katas/v-04-insert-per-reading.flawed.js';
import type { ConfigValues } from '../src/config.js';
import { VitalsWriter } from '../src/storage/vitals-writer.service.js';
import { IngestMetrics } from '../src/telemetry/ingest-metrics.service.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const DEVICES = 10;
const PER_DEVICE = 100;
const TOTAL = DEVICES * PER_DEVICE;
const PER_MESSAGE = 10;

/** INSERTs into vital tables issued while `fn` runs, on any instrumented pool of this process. */
async function countInserts(
  table: string,
  fn: () => Promise<void>,
): Promise<{ inserts: number; ms: number }> {
  let inserts = 0;
  const unsubscribe = queryEvents.subscribe((event) => {
    if (/^\s*INSERT INTO/i.test(event.sql) && event.sql.includes(table)) inserts += 1;
  });
  const started = performance.now();
  try {
    await fn();
  } finally {
    unsubscribe();
  }
  return { inserts, ms: performance.now() - started };
}

const FLAWS = {
  'flush per message':
    'the batched writer with WRITE_BATCH_ROWS=1: each device message written as it arrives',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: VitalsWriter, useClass: InsertPerReadingWriter }],
  remediated: [],
  'flush per message': [],
};
const OVERRIDES: Record<Run, ConfigValues> = {
  flawed: {},
  remediated: {},
  'flush per message': { WRITE_BATCH_ROWS: '1' },
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(
    ctx,
    {
      ALERT_EVALUATOR_ENABLED: 'false',
      DEVICE_RATE_PER_SECOND: '10000',
      DEVICE_RATE_BURST: '1000',
      WRITE_FLUSH_INTERVAL_MS: '100',
      ...OVERRIDES[run],
    },
    PLUGS[run],
  );
  let closed = false;
  try {
    const { devices } = await seedRegistry(ctx.pool, { patients: DEVICES });
    const clients = await Promise.all(
      devices.map((device) => DeviceClient.open(app.wsUrl, device.id, device.token)),
    );
    const { inserts, ms } = await countInserts('vital_data', async () => {
      clients.forEach((client) => {
        const all = readings(PER_DEVICE);
        for (let i = 0; i < PER_DEVICE; i += PER_MESSAGE) client.sendReadings(all.slice(i, i + PER_MESSAGE));
      });
      await Promise.all(clients.map((client) => client.untilAcked(PER_DEVICE - 1)));
    });

    // Shutdown with readings still buffered: every reading the server received must be stored.
    const metrics = app.app.get(IngestMetrics);
    const receivedBefore = (await metrics.received.get()).values[0]?.value ?? 0;
    const extra = readings(PER_MESSAGE, PER_DEVICE, Date.now() - 500_000);
    clients.forEach((client) => client.sendReadings(extra));
    await waitUntil('the server to receive the last readings', async () => {
      return ((await metrics.received.get()).values[0]?.value ?? 0) >= receivedBefore + DEVICES * PER_MESSAGE;
    });
    await app.close();
    closed = true;
    const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
    const lost = TOTAL + DEVICES * PER_MESSAGE - rows[0]!.n;
    if (lost !== 0) throw new Error(`${lost} received readings were not stored at shutdown`);
    return {
      value: (inserts * 1000) / TOTAL,
      details: { readings: TOTAL, 'readings/s': Math.round(TOTAL / (ms / 1000)), 'lost on shutdown': lost },
    };
  } finally {
    if (!closed) await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-04',
  title: 'One INSERT per reading, immediately',
  explanation:
    'Writing each reading as it arrives costs a round trip and a commit per reading: 1,000 statements per 1,000 ' +
    'readings, bounded by the disk flush rate (≈ 7k rows/s on this machine) and holding a pool connection each. The ' +
    'remedy buffers readings for at most 100 ms (or 1,000 rows) and writes each batch with one INSERT … SELECT FROM ' +
    'unnest(…) ON CONFLICT DO NOTHING; devices get their ack after the batch commits, and shutdown flushes the ' +
    'buffer before closing, so nothing acknowledged or received is lost. Both variants run the real ingest ' +
    'gateway over WebSocket; the flawed one has an insert-per-reading writer plugged in place of the batched one.',
  fix: [
    'src/storage/vitals-writer.service.ts',
    'src/storage/vital-data.sql.ts',
    'src/ingest/device-session.ts',
  ],
  metric: { name: 'INSERT round trips per 1,000 readings', unit: 'statements', better: 'lower' },
  difficulty: 2,
  hints: [
    '1,000 readings, 1,000 INSERTs, 1,000 commits: each waits for the disk.',
    'Gather readings for a short while (or until enough arrive) and write them together; acknowledge after the batch commits.',
    'One multi-row statement: INSERT … SELECT FROM unnest($1::uuid[], $2::timestamptz[], …) ON CONFLICT DO NOTHING.',
    'The technique: write batching (micro-batches bounded by size and time) with a bulk INSERT via unnest.',
  ],
  seam: 'VitalsWriter (Nest provider the ingest gateway writes through) ← katas/v-04-insert-per-reading.flawed.ts InsertPerReadingWriter; INSERTs counted at the pg client',
  flawsPutBack: FLAWS,
  measure,
  flawed: (perThousand) => perThousand >= 900,
  remediated: (perThousand) => perThousand <= 10,
});
