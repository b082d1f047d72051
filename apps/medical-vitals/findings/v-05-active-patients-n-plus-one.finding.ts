import { createPgPool, QueryCounter } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { activePatientsWithLazyLoading } from '../katas/v-05-active-patients-n-plus-one.flawed.js';
import { DashboardQueries } from '../src/dashboards/dashboard-queries.service.js';
import { seedLatestReadings } from './live-support/seed-vitals.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const SMALL = 10;
const LARGE = 500;

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const small = await seedRegistry(ctx.pool, { patients: SMALL });
  const large = await seedRegistry(ctx.pool, { patients: LARGE });
  await seedLatestReadings(ctx.pool, small);
  await seedLatestReadings(ctx.pool, large);
  ctx.log(`${variant}: wards of ${SMALL} and ${LARGE} active patients seeded`);

  let load: (wardId: string) => Promise<unknown>;
  let close: () => Promise<void>;
  if (variant === 'flawed') {
    const pool = createPgPool({
      name: 'kata-dashboard',
      connectionString: ctx.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 5_000,
      statementTimeoutMs: 30_000,
      idleInTransactionSessionTimeoutMs: 30_000,
    });
    load = (wardId) => activePatientsWithLazyLoading(pool, wardId);
    close = () => pool.end();
  } else {
    const app = await startTestApp(ctx);
    const queries = app.app.get(DashboardQueries);
    load = (wardId) => queries.activePatients(wardId, { limit: LARGE });
    close = () => app.close();
  }
  try {
    const counted = async (wardId: string): Promise<number> =>
      (await QueryCounter.count(() => load(wardId))).count;
    const atSmall = await counted(small.wardIds[0]!);
    const atLarge = await counted(large.wardIds[0]!);
    ctx.log(`${variant}: ${atSmall} statements for ${SMALL} patients, ${atLarge} for ${LARGE}`);
    return {
      value: atLarge - atSmall,
      details: { [`statements, ${SMALL} patients`]: atSmall, [`statements, ${LARGE} patients`]: atLarge },
    };
  } finally {
    await close();
  }
}

export default defineFinding({
  id: 'vitals:V-05',
  title: 'N+1 queries on the active-patients dashboard',
  explanation:
    "Loading the ward's patients and then each one's devices, latest reading and open alerts costs 1 + 3N statements: 31 for a ward of 10, 1,501 for 500, each a round trip on a shared pool. The remedy reads the page of patients with their open-alert counts in one statement (a lateral count), and their latest readings from the Redis cache in one MGET, so the statement count does not depend on the ward size.",
  fix: ['src/dashboards/dashboard-queries.service.ts', 'src/dashboards/dashboard-queries.sql.ts'],
  metric: { name: 'extra SQL statements for 500 vs 10 patients', unit: 'statements', better: 'lower' },
  measure,
  flawed: (growth) => growth > 0,
  remediated: (growth) => growth === 0,
  timeoutMs: 90_000,
});
