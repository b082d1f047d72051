import type { ProviderPlug } from '@remedy/testing';
import { defineFinding, type FindingContext, type Measurement, type Variant } from '@remedy/testing';
import { randomBytes } from 'node:crypto';
import { contextDroppingPublisher, unexportedIngestMetrics } from '../katas/v-16-no-telemetry.flawed.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

/**
 * Where the device's trace must still be found, ingest → alert → push (the stored-stream entry, the
 * alerts-stream entry, the reading and the alert pushed to a dashboard), plus the write-path metrics.
 */
const STAGES = 4;
const METRICS = [
  'vitals_readings_received_total',
  'vitals_write_batch_rows_count',
  'vitals_write_flush_duration_seconds_count',
];
const SIGNALS = STAGES + METRICS.length;

type Run = Variant | 'a stage drops the trace context' | 'metrics not exported';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [contextDroppingPublisher, unexportedIngestMetrics],
  remediated: [],
  'a stage drops the trace context': [contextDroppingPublisher],
  'metrics not exported': [unexportedIngestMetrics],
};

function deviceTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

function traceIdOf(traceparent: unknown): string | undefined {
  return typeof traceparent === 'string' ? traceparent.split('-')[1] : undefined;
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Runs with the default configuration (tracing not enabled): what a default deployment propagates. */
async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, {}, PLUGS[run]);
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    await ctx.pool.query("INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120)", [
      device!.patientId,
    ]);
    const dashboard = await LiveDashboardClient.open(
      app.wsUrl,
      await LiveDashboardClient.issueToken(app.url, ctx.pool, [device!.wardId]),
      [{ wardId: device!.wardId }],
    );
    const { traceId, traceparent } = deviceTrace();
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    client.sendReadings([{ ...readings(1)[0]!, heartRate: 160 }], traceparent);
    await client.untilAcked(0);
    client.close();
    await dashboard.until(
      () => dashboard.ofType('reading').length > 0 && dashboard.ofType('alert').length > 0,
    );
    await dashboard.close();

    const keys = app.app.get(RedisKeys);
    const [stored] = (await ctx.redis.xrange(keys.storedStream, '-', '+')) as [string, string[]][];
    const [alert] = (await ctx.redis.xrange(keys.alertsStream, '-', '+')) as [string, string[]][];
    const carried = {
      'stored-stream entry': traceIdOf(field(stored![1], 'traceparent')) === traceId,
      'alerts-stream entry': traceIdOf(field(alert![1], 'traceparent')) === traceId,
      'reading pushed to the dashboard':
        traceIdOf(dashboard.ofType('reading')[0]!['traceparent']) === traceId,
      'alert pushed to the dashboard': traceIdOf(dashboard.ofType('alert')[0]!['traceparent']) === traceId,
    };
    const stages = Object.values(carried).filter(Boolean).length;

    const metricsText = await (await fetch(`${app.url}/metrics`)).text();
    const metrics = METRICS.filter((name) =>
      new RegExp(`^${name}(\\{[^}]*\\})? [1-9]`, 'm').test(metricsText),
    ).length;
    ctx.log(
      `${run}: device trace carried by ${stages}/${STAGES} stages; ${metrics}/${METRICS.length} write-path metrics`,
    );
    return {
      value: stages + metrics,
      details: {
        'stages carrying the device trace': `${stages}/${STAGES}`,
        'lost at':
          Object.entries(carried)
            .filter(([, ok]) => !ok)
            .map(([stage]) => stage)
            .join(', ') || 'none',
        'write-path metrics': `${metrics}/${METRICS.length}`,
        tracing: 'default config (TRACING_ENABLED unset)',
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
    'and the alert. Recording spans needs a collector, so TRACING_ENABLED stays off by default; context ' +
    "propagation does not: with tracing off the device's traceparent is still forwarded unchanged through every " +
    'stage (W3C Trace Context asks that of a service that does not record), so the proof judges a default ' +
    'deployment, from ingest through the alert to the dashboard push. With tracing on, the remedy also ' +
    "continues the device's trace context (or starts one) in an ingest span, links " +
    "every message of a batch to the flush span, writes the flush's traceparent into the vitals:stored entry, " +
    'continues it in the evaluator, writes it into the vitals:alerts entry and the pushed messages; /metrics counts readings received, ' +
    'stored and rejected, and histograms batch sizes and flush latency.',
  fix: [
    '../../libs/observability/src/tracing/tracing.ts',
    'src/dashboards/live/vitals-push.service.ts',
    'src/telemetry/ingest-metrics.service.ts',
    'src/ingest/device-session.ts',
  ],
  metric: {
    name: `observability signals of a default deployment (of ${SIGNALS})`,
    unit: 'signals',
    better: 'higher',
  },
  difficulty: 2,
  hints: [
    "Follow one reading from the device to the dashboard: which stage loses the device's traceparent?",
    'Even with tracing off, a stage must pass the trace context it received on to the next (W3C Trace Context).',
    'Write the traceparent into the vitals:stored entry and read it back in the consumers; serve the ingest metrics from the registry /metrics exposes.',
    'The technique: trace context propagation across async boundaries (W3C traceparent in message metadata) plus RED metrics on the write path.',
  ],
  seam: 'StoredStreamPublisher (the write path → alerts/push handoff) ← katas/v-16-no-telemetry.flawed.ts ContextDroppingPublisher, and IngestMetrics ← the same series in a registry /metrics does not serve',
  flawsPutBack: {
    'a stage drops the trace context':
      'the stored-stream entry is written without the trace context (metrics intact)',
    'metrics not exported':
      'the write-path metrics are kept in a registry /metrics does not serve (tracing intact)',
  },
  measure,
  flawed: (signals) => signals === 0,
  remediated: (signals) => signals === SIGNALS,
  timeoutMs: 120_000,
});
