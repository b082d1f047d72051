import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { KATA_V12_SQL, onVitalMessage } from '../katas/v-12-alert-in-write-path.flawed.js';
import { DeviceClient, readings, type ReadingMessage } from './support/device-client.js';
import { NotificationProvider } from './support/notification-provider.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const PROVIDER_DELAY_MS = 500;
const BREACHING = new Set([2, 3, 4, 7, 8]);
const EPISODES = 2;

function series(): ReadingMessage[] {
  return readings(10).map((reading, index) => ({ ...reading, heartRate: BREACHING.has(index) ? 160 : 80 }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function flawed(ctx: FindingContext, provider: NotificationProvider): Promise<Measurement> {
  await ctx.pool.query(KATA_V12_SQL);
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  await ctx.pool.query('INSERT INTO kata_v12_alert_rules VALUES ($1, 120)', [device!.patientId]);
  const latencies: number[] = [];
  for (const [index, reading] of series().entries()) {
    const started = performance.now();
    await onVitalMessage(ctx.pool, provider.url, {
      patientId: device!.patientId,
      deviceId: device!.id,
      recordedAt: reading.recordedAt,
      heartRate: reading.heartRate!,
    });
    if (BREACHING.has(index)) latencies.push(performance.now() - started);
  }
  const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM kata_v12_alerts');
  return {
    value: Math.round(median(latencies)),
    details: { 'breach episodes': EPISODES, 'alerts raised': rows[0]!.n },
  };
}

async function remediated(ctx: FindingContext, provider: NotificationProvider): Promise<Measurement> {
  const app = await startTestApp(ctx, { NOTIFY_URL: provider.url, NOTIFY_TIMEOUT_MS: '2000' });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    await ctx.pool.query("INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120)", [
      device!.patientId,
    ]);
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    const latencies: number[] = [];
    for (const [index, reading] of series().entries()) {
      const started = performance.now();
      client.sendReadings([reading]);
      await client.untilAcked(reading.seq);
      if (BREACHING.has(index)) latencies.push(performance.now() - started);
    }
    client.close();
    await waitUntil(
      'the provider to be notified of every episode',
      () => provider.received.length >= EPISODES,
      20_000,
    );
    const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
    const alerts = rows[0]!.n;
    if (alerts !== EPISODES)
      throw new Error(`expected exactly ${EPISODES} alerts (one per episode), got ${alerts}`);
    return {
      value: Math.round(median(latencies)),
      details: { 'breach episodes': EPISODES, 'alerts raised': alerts },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-12',
  title: 'Alert detection inside the write path',
  explanation:
    'When the ingest handler evaluates rules and notifies before acknowledging, every breaching reading waits for ' +
    'the notification provider, exactly when the patient is in trouble and devices send the most. The remedy ' +
    'acknowledges once the batch is stored and appended to the vitals:stored stream; an evaluator in the consumer ' +
    'group `alerts` raises one alert per breach episode (a partial unique index keeps one open episode per rule and ' +
    'patient) and notifies through a circuit breaker, off the ingest path.',
  fix: [
    'src/alerts/alert-evaluator.service.ts',
    'src/alerts/alert-store.service.ts',
    'src/storage/vitals-writer.service.ts',
  ],
  metric: {
    name: `median ack latency of a breaching reading, provider slowed to ${PROVIDER_DELAY_MS} ms`,
    unit: 'ms',
    better: 'lower',
  },
  async measure(variant, ctx) {
    const provider = await NotificationProvider.start();
    provider.delayMs = PROVIDER_DELAY_MS;
    try {
      return variant === 'flawed' ? await flawed(ctx, provider) : await remediated(ctx, provider);
    } finally {
      await provider.stop();
    }
  },
  flawed: (ms) => ms >= PROVIDER_DELAY_MS,
  remediated: (ms) => ms < PROVIDER_DELAY_MS / 2,
});
