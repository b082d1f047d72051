import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ConfigValues } from '../src/config.js';
import { PartitionMetrics } from '../src/retention/partition-metrics.service.js';
import { SloMetrics } from '../src/slo/slo-metrics.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';

/** The signals the review asks for (M-4), as they must appear in /metrics text or the JSON log. */
const METRIC_SIGNALS: Record<string, RegExp> = {
  'request duration histogram for GET /events': /http_request_duration_seconds_bucket\{[^}]*route="\/events"/,
  'request duration histogram for GET /events/:id/stats':
    /http_request_duration_seconds_bucket\{[^}]*route="\/events\/:id\/stats"/,
  'DB query duration histogram': /db_query_duration_seconds_bucket\{[^}]*pool="event-registration-api"/,
  'pool usage gauges': /db_pool_connections\{[^}]*pool="event-registration-api"/,
  'pool saturation gauge': /db_pool_waiting_requests\{/,
  'cache hit/miss counter': /cache_requests_total\{[^}]*result="(hit|miss)"/,
  'SLO objectives': /slo_latency_objective_seconds\{[^}]*slo="event-list"/,
  'partition size gauges': /partition_size_bytes\{[^}]*partition="registrations_p\d{8}"/,
};

const LOG_SIGNALS: Record<string, (line: Record<string, unknown>) => boolean> = {
  'request log line with request ID, route and duration': (line) =>
    line['msg'] === 'request completed' &&
    typeof line['requestId'] === 'string' &&
    line['route'] === '/events/:id/stats',
  'slow query logged with normalised SQL': (line) =>
    line['msg'] === 'slow query' && typeof line['sql'] === 'string',
};

type Flaw = 'slow-query log off' | 'partition gauges unregistered' | 'SLO gauges unregistered';

/** A provider that registers nothing: the metric hook it stands for is gone. */
class NoMetrics {
  onModuleInit(): void {}
}

/** Each flaw put back into the running service: a config value or a metrics provider replaced by nothing. */
function putBack(run: Flaw | 'remediated'): { overrides: ConfigValues; plugs: ProviderPlug[] } {
  switch (run) {
    case 'remediated':
      return { overrides: {}, plugs: [] };
    case 'slow-query log off':
      // Above any statement the proof runs: the slow query goes unlogged.
      return { overrides: { SLOW_QUERY_MS: '60000' }, plugs: [] };
    case 'partition gauges unregistered':
      return { overrides: {}, plugs: [{ provide: PartitionMetrics, useClass: NoMetrics }] };
    case 'SLO gauges unregistered':
      return { overrides: {}, plugs: [{ provide: SloMetrics, useClass: NoMetrics }] };
  }
}

async function measure(run: Flaw | 'remediated', ctx: FindingContext): Promise<Measurement> {
  const { overrides, plugs } = putBack(run);
  const lines: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
  const [event] = await seedEvents(ctx.pool, organiser.id, 3);
  const testApp = await startTestApp(
    ctx,
    { LOG_LEVEL: 'info', SLOW_QUERY_MS: '50', ...overrides },
    { logDestination, plugs },
  );
  let metrics: string;
  try {
    const headers = await bearer(testApp.app, organiser);
    for (const path of [
      '/events',
      `/events/${event!.id}`,
      `/events/${event!.id}/stats`,
      `/events/${event!.id}/stats`,
    ]) {
      const response = await fetch(`${testApp.url}${path}`, { headers });
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    }
    // A statement slower than SLOW_QUERY_MS, as a runaway report would be.
    await testApp.app.get(DataSource).query('SELECT pg_sleep(0.1)');
    metrics = await (await fetch(`${testApp.url}/metrics`)).text();
  } finally {
    await testApp.close();
  }
  const missing = [
    ...Object.entries(METRIC_SIGNALS)
      .filter(([, pattern]) => !pattern.test(metrics))
      .map(([name]) => name),
    ...Object.entries(LOG_SIGNALS)
      .filter(([, matches]) => !lines.some(matches))
      .map(([name]) => name),
  ];
  return {
    value: missing.length,
    details: {
      'signals checked': Object.keys(METRIC_SIGNALS).length + Object.keys(LOG_SIGNALS).length,
      ...(missing.length > 0 ? { missing: missing.join('; ') } : {}),
    },
  };
}

export default defineFinding({
  id: 'events:M-4',
  title: 'No performance observability',
  kind: 'after-only',
  why: 'The reviewed design logs errors to stdout and nothing else (Section 6.5): no timings, no metrics endpoint, no slow-query log. A kata of it has nothing to measure, so the proof checks the remediated service for every signal the review asks for.',
  explanation:
    'Without request timings, query timings and pool usage nobody can see an SLO breach coming or tell the database from the app. The app now serves /metrics with per-route request-duration histograms (route templates, never raw URLs), DB query-duration histograms per pool and statement kind, pool gauges including callers waiting for a connection, cache hit/miss counters and its SLO objectives, and writes JSON logs with request IDs plus a slow-query line carrying normalised SQL.',
  fix: [
    'src/app.module.ts',
    'src/slo/slo-metrics.ts',
    'src/cache/read-through-cache.ts',
    '../../infra/grafana/dashboards/event-registration.json',
  ],
  metric: { name: 'required observability signals missing', unit: 'signals', better: 'lower' },
  seam: 'the running API as production builds it; each put-back removes one signal through a config value (SLOW_QUERY_MS) or a metrics provider replaced by a no-op (PartitionMetrics, SloMetrics), and the check reads only what the service exposes: GET /metrics and its JSON log lines',
  flawsPutBack: {
    'slow-query log off': 'SLOW_QUERY_MS=60000, so no statement is ever logged as slow',
    'partition gauges unregistered': 'PartitionMetrics replaced by a provider that registers nothing',
    'SLO gauges unregistered': 'SloMetrics replaced by a provider that registers nothing',
  },
  measure: (run, ctx) => measure(run as Flaw | 'remediated', ctx),
  remediated: (missing) => missing === 0,
  timeoutMs: 60_000,
});
