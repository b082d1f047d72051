import { normalizeSql, queryEvents, type QueryEvent } from '@remedy/pooling';
import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
  type Variant,
} from '@remedy/testing';
import {
  POLL_INTERVAL_MS,
  POLLING_WARD_PAGE_SCRIPT,
  PollingVitalsFeed,
} from '../katas/v-03-dashboard-polling.flawed.js';
import { VitalsPushService } from '../src/dashboards/live/vitals-push.service.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { READER_APPLICATION_NAME, REPORTS_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';
import { WARD_PAGE_SCRIPT } from '../src/web/ward-page.controller.js';
import { WardPage } from './live-support/ward-page-runner.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { createStaff } from './support/staff-session.js';
import { startTestApp } from './support/start-test-app.js';

const PAGES = 50;
const PATIENTS = 10;
/**
 * One reading per patient per round; the window spans more than one and a half poll intervals, in real time:
 * every polling page asks at least once inside it, and a poll makes most of what it shows late.
 */
const ROUNDS = 8;
const ROUND_MS = 1_000;
/** A reading on screen later than this after it was stored counts as late: a fifth of the poll interval. */
const LATE_MS = POLL_INTERVAL_MS / 5;

type Run = Variant | 'feed polls the database';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: WARD_PAGE_SCRIPT, useValue: POLLING_WARD_PAGE_SCRIPT }],
  remediated: [],
  'feed polls the database': [{ provide: VitalsPushService, useClass: PollingVitalsFeed }],
};

/**
 * A statement on behalf of dashboards: anything on the read pools, or the latest-vitals cache fallback.
 * The write path's own statements (the batch insert, the alert evaluator's episode lookup) run in every
 * run and are not counted.
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Round r's reading carries a heart rate no other round has, so a page showing it shows that reading. */
const heartRateOf = (round: number): number => 100 + round;

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: PATIENTS });
  const wardId = registry.wardIds[0]!;
  const ward = registry.devices.filter((device) => device.wardId === wardId);
  const app = await startTestApp(ctx, {}, PLUGS[run]);
  const pages: WardPage[] = [];
  const devices: DeviceClient[] = [];
  try {
    for (const device of ward) devices.push(await DeviceClient.open(app.wsUrl, device.id, device.token));
    // A first reading per patient, stored before the pages open: their first load shows it.
    devices.forEach((device, index) =>
      device.sendReadings([
        { ...readings(1, 0, Date.now() - 60_000 - index)[0]!, heartRate: heartRateOf(0) },
      ]),
    );
    await Promise.all(devices.map((device) => device.untilAcked(0)));
    const nurse = await createStaff(ctx.pool, {
      role: 'nurse',
      hospitalId: registry.hospitalId,
      wardIds: [wardId],
    });
    for (let i = 0; i < PAGES; i += 1) pages.push(await WardPage.open(app.url, wardId, nurse));
    await waitUntil(
      'every ward page to show each patient and be ready (live, or polling)',
      () =>
        pages.every(
          (page) =>
            ward.every((device) =>
              page.firstShown(device.patientId, 'heartRate', String(heartRateOf(0)), 0),
            ) &&
            (page.body.dataset['connection'] === 'connected' || page.sockets === 0),
        ),
      60_000,
    );

    let statements = 0;
    const requestsBefore = pages.reduce((sum, page) => sum + page.requests, 0);
    const unsubscribe = queryEvents.subscribe((event) => {
      if (isDashboardRead(event)) statements += 1;
    });
    const sentAt: number[] = [];
    const ackedAt: number[][] = ward.map(() => []);
    const windowStart = Date.now();
    try {
      for (let round = 1; round <= ROUNDS; round += 1) {
        sentAt[round] = Date.now();
        devices.forEach((device) =>
          device.sendReadings([{ ...readings(1, round, Date.now())[0]!, heartRate: heartRateOf(round) }]),
        );
        await Promise.all(
          devices.map(async (device, index) => {
            await device.untilAcked(round, 30_000);
            ackedAt[index]![round] = Date.now();
          }),
        );
        await sleep(windowStart + round * ROUND_MS - Date.now());
      }
      // The last round's readings get the same chance as the others to reach the screens.
      await sleep(Math.max(...ackedAt.map((times) => times[ROUNDS]!)) + LATE_MS - Date.now());
    } finally {
      unsubscribe();
    }
    const windowMs = Date.now() - windowStart;
    const requests = pages.reduce((sum, page) => sum + page.requests, 0) - requestsBefore;

    const latencies: number[] = [];
    let late = 0;
    for (const page of pages)
      ward.forEach((device, index) => {
        for (let round = 1; round <= ROUNDS; round += 1) {
          const shown = page.firstShown(
            device.patientId,
            'heartRate',
            String(heartRateOf(round)),
            sentAt[round]!,
          );
          const latency = shown === undefined ? undefined : Math.max(0, shown - ackedAt[index]![round]!);
          if (latency !== undefined) latencies.push(latency);
          if (latency === undefined || latency > LATE_MS) late += 1;
        }
      });
    const perMinute = (count: number): number => Math.round((count * 60_000) / windowMs);
    ctx.log(
      `${run}: ${PAGES} ward pages over ${windowMs} ms: ${statements} dashboard statements, ${late} of ${PAGES * ward.length * ROUNDS} readings late`,
    );
    return {
      value: perMinute(statements) + perMinute(late),
      details: {
        'ward pages': PAGES,
        'window ms': windowMs,
        'dashboard statements/min': perMinute(statements),
        'readings late on screen/min': perMinute(late),
        'page requests/min': perMinute(requests),
        'readings on screen': `${latencies.length}/${PAGES * ward.length * ROUNDS}`,
        'stored → screen p50 ms': percentile(latencies, 50),
        'stored → screen p95 ms': percentile(latencies, 95),
        'late after (ms)': LATE_MS,
      },
    };
  } finally {
    pages.forEach((page) => page.close());
    devices.forEach((device) => device.close());
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-03',
  title: 'Dashboards poll the database every 5 seconds',
  explanation:
    'Fifty open dashboards refreshing every 5 s cost 600 queries a minute whether or not anything changed, and a reading still waits up to 5 s to be seen. In the remedy a dashboard subscribes over WebSocket /live; each stored batch is pushed to the ward and patient rooms as it lands, so the database does no work for dashboards between their first load and their next reconnect, and a reading reaches the screen within milliseconds of being stored. The proof runs the script the app serves for the ward page, fifty times, against the real app for an 8 s window (more than one and a half poll intervals) while ten devices send a reading a second, and counts both what the pages cost the database and the readings that reached a screen later than a fifth of the poll interval after being stored.',
  fix: [
    'src/dashboards/live/live.gateway.ts',
    'src/dashboards/live/vitals-push.service.ts',
    'src/web/public/ward-page.js',
  ],
  metric: {
    name: `per minute, ${PAGES} ward pages: dashboard SQL statements + readings on screen later than ${LATE_MS} ms (⅕ poll interval) after being stored`,
    unit: 'per min',
    better: 'lower',
  },
  difficulty: 2,
  hints: [
    'Fifty pages ask the database every 5 s whether anything changed. Who already knows when something changed?',
    'The writer knows when a batch lands: tell the open pages instead of letting them ask.',
    'Open one WebSocket per page to /live, load once, then apply the readings the server pushes to the ward room.',
    'The technique: server push over WebSocket (publish/subscribe per ward room) instead of polling.',
  ],
  seam: 'WARD_PAGE_SCRIPT (Nest provider: the script the ward page runs, its data path) ← katas/v-03-dashboard-polling.flawed.ts POLLING_WARD_PAGE_SCRIPT; 50 copies of the served script run against the real app (fetch, WebSocket, timers)',
  flawsPutBack: {
    'feed polls the database':
      'the page keeps its socket, but the dashboard feed (VitalsPushService) is a timer that polls the database every 5 s for new readings',
  },
  measure,
  flawed: (perMinute) => perMinute >= 500,
  // 4,000 deliveries in the window: a loaded CI machine may push a few of them past a fifth of the poll
  // interval (100/min is 13 of them); a poll makes every delivery it serves late, thousands per minute.
  remediated: (perMinute) => perMinute <= 100,
  timeoutMs: 180_000,
});
