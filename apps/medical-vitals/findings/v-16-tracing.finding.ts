import { TracingService } from '@remedy/observability';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { KATA_V16_SQL, onVitalMessage } from '../katas/v-16-no-telemetry.flawed.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

/** Trace stages (ingest span, flush span, stored-stream entry, evaluator span, alerts-stream entry) + write-path metrics. */
const SIGNALS = 8;
const METRICS = [
  'vitals_readings_received_total',
  'vitals_write_batch_rows_count',
  'vitals_write_flush_duration_seconds_count',
];

function deviceTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

async function flawed(ctx: FindingContext): Promise<Measurement> {
  await ctx.pool.query(KATA_V16_SQL);
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  const { traceId, traceparent } = deviceTrace();
  const subscriber = new Redis(ctx.redisUrl);
  const channel = ctx.key('kata-v16-vitals');
  const received: string[] = [];
  subscriber.on('message', (_channel: string, message: string) => received.push(message));
  try {
    await subscriber.subscribe(channel);
    await onVitalMessage(ctx.pool, ctx.redis, channel, {
      deviceId: device!.id,
      recordedAt: new Date().toISOString(),
      heartRate: 160,
      traceparent,
    });
    await waitUntil('the alert service to get the reading', () => received.length === 1);
    const carried = received.filter((message) => message.includes(traceId)).length;
    return {
      value: carried,
      details: { 'trace stages carrying the device trace': `${carried}/5`, 'write-path metrics': '0/3' },
    };
  } finally {
    subscriber.disconnect();
  }
}

async function remediated(ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, {
    TRACING_ENABLED: 'true',
    TRACING_EXPORTER: 'memory',
    TRACE_SAMPLE_RATIO: '1',
  });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    await ctx.pool.query("INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120)", [
      device!.patientId,
    ]);
    const { traceId, traceparent } = deviceTrace();
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    client.sendReadings([{ ...readings(1)[0]!, heartRate: 160 }], traceparent);
    await client.untilAcked(0);
    client.close();
    const alertsStream = `${app.config.redisKeyPrefix}vitals:alerts`;
    await waitUntil('the alert on vitals:alerts', async () => (await ctx.redis.xlen(alertsStream)) === 1);

    const field = (fields: string[], name: string): string | undefined => fields[fields.indexOf(name) + 1];
    const stored = (await ctx.redis.xrange(`${app.config.redisKeyPrefix}vitals:stored`, '-', '+')) as [
      string,
      string[],
    ][];
    const alerts = (await ctx.redis.xrange(alertsStream, '-', '+')) as [string, string[]][];
    const tracing = app.app.get(TracingService);
    await waitUntil('the evaluator span to end', () =>
      tracing
        .finishedSpans()
        .some((span) => span.name === 'vitals.evaluate' && span.spanContext().traceId === traceId),
    );
    const spanNames = new Set(
      tracing
        .finishedSpans()
        .filter((span) => span.spanContext().traceId === traceId)
        .map((span) => span.name),
    );
    const stages = [
      spanNames.has('vitals.ingest'),
      spanNames.has('vitals.flush'),
      traceIdOf(field(stored[0]![1], 'traceparent')) === traceId,
      spanNames.has('vitals.evaluate'),
      traceIdOf(field(alerts[0]![1], 'traceparent')) === traceId,
    ].filter(Boolean).length;

    const metricsText = await (await fetch(`${app.url}/metrics`)).text();
    const metrics = METRICS.filter((name) =>
      new RegExp(`^${name}(\\{[^}]*\\})? [1-9]`, 'm').test(metricsText),
    ).length;
    return {
      value: stages + metrics,
      details: {
        'trace stages carrying the device trace': `${stages}/5`,
        'write-path metrics': `${metrics}/3`,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-16',
  title: 'No tracing or metrics on the write path',
  explanation:
    'With logs only, nobody can say where a slow or lost reading spent its time between the device, the database ' +
    "and the alert. The remedy continues the device's W3C trace context (or starts one) in an ingest span, links " +
    "every message of a batch to the flush span, writes the flush's traceparent into the vitals:stored entry, " +
    'continues it in the evaluator and writes it into the vitals:alerts entry; /metrics counts readings received, ' +
    'stored and rejected, and histograms batch sizes and flush latency.',
  fix: [
    '../../libs/observability/src/tracing/tracing.ts',
    'src/telemetry/ingest-metrics.service.ts',
    'src/ingest/device-session.ts',
  ],
  metric: { name: `observability signals present (of ${SIGNALS})`, unit: 'signals', better: 'higher' },
  measure: (variant, ctx) => (variant === 'flawed' ? flawed(ctx) : remediated(ctx)),
  flawed: (signals) => signals === 0,
  remediated: (signals) => signals === SIGNALS,
});
