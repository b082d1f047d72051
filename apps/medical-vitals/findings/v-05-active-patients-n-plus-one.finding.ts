import { QueryCounter } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  LazyLoadingDashboardQueries,
  PerPatientLatestVitals,
} from '../katas/v-05-active-patients-n-plus-one.flawed.js';
import { DashboardQueries } from '../src/dashboards/dashboard-queries.service.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import { seedLatestReadings } from './live-support/seed-vitals.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const SMALL = 10;
const LARGE = 500;

const FLAWS = {
  'latest reading per patient':
    "the page's patients in one statement, then each one's latest reading by its own query (cache bypassed)",
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: DashboardQueries, useClass: LazyLoadingDashboardQueries }],
  remediated: [],
  'latest reading per patient': [{ provide: LatestVitalsService, useClass: PerPatientLatestVitals }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const small = await seedRegistry(ctx.pool, { patients: SMALL });
  const large = await seedRegistry(ctx.pool, { patients: LARGE });
  await seedLatestReadings(ctx.pool, small);
  await seedLatestReadings(ctx.pool, large);
  ctx.log(`${run}: wards of ${SMALL} and ${LARGE} active patients seeded`);
  const app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' }, PLUGS[run]);
  try {
    // The route's own service method, with the review's loader (or a put-back cousin) behind it where plugged.
    const queries = app.app.get(DashboardQueries);
    const load = async (wardId: string): Promise<{ count: number; rows: number; patients: number }> => {
      const counted = await QueryCounter.count(() => queries.activePatients(wardId, { limit: LARGE }));
      return { count: counted.count, rows: counted.rows, patients: counted.result.data.length };
    };
    const atSmall = await load(small.wardIds[0]!);
    const atLarge = await load(large.wardIds[0]!);
    if (atSmall.patients !== SMALL || atLarge.patients !== LARGE)
      throw new Error(
        `expected pages of ${SMALL} and ${LARGE}, got ${atSmall.patients} and ${atLarge.patients}`,
      );
    ctx.log(`${run}: ${atSmall.count} statements for ${SMALL} patients, ${atLarge.count} for ${LARGE}`);
    return {
      value: atLarge.count - atSmall.count,
      details: {
        [`statements, ${SMALL} patients`]: atSmall.count,
        [`statements, ${LARGE} patients`]: atLarge.count,
        [`rows over the wire, ${SMALL} patients`]: atSmall.rows,
        [`rows over the wire, ${LARGE} patients`]: atLarge.rows,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-05',
  title: 'N+1 queries on the active-patients dashboard',
  explanation:
    "Loading the ward's patients and then each one's devices, latest reading and open alerts costs 1 + 3N statements: 31 for a ward of 10, 1,501 for 500, each a round trip on a shared pool. The remedy reads the page of patients with their open-alert counts in one statement (a lateral count), and their latest readings from the Redis cache in one MGET, so the statement count does not depend on the ward size. Both variants call the route's own service in the running app; the flawed one has the review's loader plugged in its place.",
  fix: ['src/dashboards/dashboard-queries.service.ts', 'src/dashboards/dashboard-queries.sql.ts'],
  metric: { name: 'extra SQL statements for 500 vs 10 patients', unit: 'statements', better: 'lower' },
  difficulty: 1,
  hints: [
    'Count the statements for 10 and for 500 patients: the number should not depend on the ward size.',
    "Your loader queries per patient (devices, latest reading, open alerts). Ask for all the page's patients at once.",
    'One statement for the page of patients with their open-alert count (a LATERAL or GROUP BY subquery), and the latest readings for all of them in one round trip (LatestVitalsService.forPatients reads the Redis cache with one MGET).',
    "The technique: removing the N+1 by batch loading (a join/lateral aggregate plus one multi-key fetch). The service's DashboardQueries.activePatients does exactly that.",
  ],
  seam: 'DashboardQueries (Nest provider behind GET /dashboard/active-patients) ← katas/v-05-active-patients-n-plus-one.flawed.ts LazyLoadingDashboardQueries; statements and rows counted at the pg client',
  flawsPutBack: FLAWS,
  measure,
  flawed: (growth) => growth > 0,
  remediated: (growth) => growth === 0,
  timeoutMs: 90_000,
});
