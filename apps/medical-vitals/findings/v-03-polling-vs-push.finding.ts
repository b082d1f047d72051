import { createPgPool, normalizeSql, queryEvents, type QueryEvent } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { POLL_INTERVAL_MS, PollingDashboard } from '../katas/v-03-dashboard-polling.flawed.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { READER_APPLICATION_NAME, REPORTS_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const DASHBOARDS = 50;
/** One minute of the design: 12 refreshes at 5 s, and one reading per patient every 5 s. */
const ROUNDS = 60_000 / POLL_INTERVAL_MS;
/** The minute runs 50× faster; the counts are per design minute, not per wall-clock minute. */
const SPEEDUP = 50;

/**
 * A statement on behalf of dashboards: anything on the read pools, or the latest-vitals cache fallback.
 * The write path's own statements (the batch insert, the alert evaluator's episode lookup) run in both
 * designs and are not counted in either.
 */
function isDashboardRead(event: QueryEvent): boolean {
  return (
    event.pool === READER_APPLICATION_NAME ||
    event.pool === REPORTS_APPLICATION_NAME ||
    normalizeSql(event.sql) === LATEST_FALLBACK
  );
}

const LATEST_FALLBACK = normalizeSql(LATEST_FALLBACK_SQL);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: 20 });
  const wardId = registry.wardIds[0]!;
  let statements = 0;
  if (variant === 'flawed') {
    const pool = createPgPool({
      name: 'kata-polling',
      connectionString: ctx.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 5_000,
      statementTimeoutMs: 10_000,
      idleInTransactionSessionTimeoutMs: 10_000,
    });
    const unsubscribe = queryEvents.subscribe((event) => {
      if (event.pool === 'kata-polling') statements += 1;
    });
    const dashboards = Array.from(
      { length: DASHBOARDS },
      () => new PollingDashboard(pool, registry.patientIds, POLL_INTERVAL_MS / SPEEDUP),
    );
    try {
      await Promise.all(dashboards.map((dashboard) => dashboard.run(ROUNDS)));
    } finally {
      unsubscribe();
      dashboards.forEach((dashboard) => dashboard.stop());
      await pool.end();
    }
    ctx.log(`flawed: ${DASHBOARDS} dashboards polled ${ROUNDS} times each: ${statements} statements`);
    return {
      value: statements,
      details: {
        dashboards: DASHBOARDS,
        'refreshes per dashboard-minute': ROUNDS,
        'worst staleness': `${POLL_INTERVAL_MS} ms`,
      },
    };
  }

  const app = await startTestApp(ctx);
  const dashboards: LiveDashboardClient[] = [];
  try {
    const token = await LiveDashboardClient.issueToken(app.url);
    for (let i = 0; i < DASHBOARDS; i += 1)
      dashboards.push(await LiveDashboardClient.open(app.wsUrl, token, [{ wardId }]));
    const ward = registry.devices.filter((device) => device.wardId === wardId);
    const devices = await Promise.all(
      ward.map((device) => DeviceClient.open(app.wsUrl, device.id, device.token)),
    );
    // Warm-up reading: device lookups and rule caches fill before the measured minute starts.
    devices.forEach((device, index) => device.sendReadings(readings(1, 0, Date.now() - 60_000 - index)));
    await Promise.all(devices.map((device) => device.untilAcked(0)));
    await Promise.all(
      dashboards.map((dashboard) =>
        dashboard.until(() => dashboard.ofType('reading').length >= devices.length),
      ),
    );

    const sentAt = new Map<number, number>();
    const unsubscribe = queryEvents.subscribe((event) => {
      if (isDashboardRead(event)) statements += 1;
    });
    try {
      for (let round = 1; round <= ROUNDS; round += 1) {
        sentAt.set(round, Date.now());
        devices.forEach((device) => device.sendReadings(readings(1, round)));
        await Promise.all(devices.map((device) => device.untilAcked(round)));
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS / SPEEDUP));
      }
      const expected = devices.length * (ROUNDS + 1);
      await Promise.all(
        dashboards.map((dashboard) => dashboard.until(() => dashboard.ofType('reading').length >= expected)),
      );
    } finally {
      unsubscribe();
    }
    devices.forEach((device) => device.close());
    const latencies = dashboards.flatMap((dashboard) =>
      dashboard.ofType('reading').flatMap((message) => {
        const sent = sentAt.get(message['seq'] as number);
        return sent === undefined ? [] : [message.receivedAt - sent];
      }),
    );
    ctx.log(
      `remediated: ${DASHBOARDS} dashboards followed ${ROUNDS} rounds over /live: ${statements} dashboard statements`,
    );
    return {
      value: statements,
      details: {
        dashboards: DASHBOARDS,
        'pushes received': latencies.length,
        'ingest → dashboard p50 ms': percentile(latencies, 50),
        'ingest → dashboard p95 ms': percentile(latencies, 95),
      },
    };
  } finally {
    await Promise.all(dashboards.map((dashboard) => dashboard.close()));
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-03',
  title: 'Dashboards poll the database every 5 seconds',
  explanation:
    'Fifty open dashboards refreshing every 5 s cost 600 queries a minute whether or not anything changed, and a reading still waits up to 5 s to be seen. In the remedy a dashboard subscribes over WebSocket /live; each stored batch is pushed to the ward and patient rooms as it lands, so the database does no work for dashboards between their first load and their next reconnect, and a reading reaches the screen within milliseconds of being stored.',
  fix: [
    'src/dashboards/live/live.gateway.ts',
    'src/dashboards/live/vitals-push.service.ts',
    'src/web/public/ward-page.js',
  ],
  metric: {
    name: 'dashboard SQL statements per minute, 50 dashboards',
    unit: 'statements/min',
    better: 'lower',
  },
  measure,
  flawed: (perMinute) => perMinute >= 500,
  remediated: (perMinute) => perMinute <= 5,
  timeoutMs: 120_000,
});
