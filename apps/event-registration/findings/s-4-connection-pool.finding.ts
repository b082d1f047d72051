import {
  defineFinding,
  poolSaturationDetails,
  saturatePool,
  startEmbeddedPostgres,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  CONNECTION_PER_QUERY,
  serviceDataSourceWithPool,
} from '../katas/s-4-connection-per-request.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import { parseConfig, type AppConfig, type ConfigValues } from '../src/config.js';
import { migrateDatabase } from '../src/database/migrate-database.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

const REQUESTS = 500;
const POOL_MAX = 10;
const CONNECTION_TIMEOUT_MS = 1_000;
/**
 * How long the held connections stay held for callers beyond the cap to be answered: 10× the timeout. A
 * put-back that queues forever waits all of it; the remediated run settles in about one timeout.
 */
const PATIENCE_MS = 10 * CONNECTION_TIMEOUT_MS;
/** A small managed instance (the review: "RDS may have lower limits"), of this measurement's own. */
const SERVER_MAX_CONNECTIONS = 40;

type Run = 'flawed' | 'remediated' | "pg's default pool" | 'very large max' | 'no connection wait limit';

/** The DataSource provider replaced by the service's own DataSource with other pool knobs. */
function poolPlug(pool: (serviceKnobs: pg.PoolConfig) => pg.PoolConfig): ProviderPlug[] {
  return [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => serviceDataSourceWithPool(config, pool).initialize(),
    },
  ];
}

function setupFor(run: Run): { overrides: ConfigValues; plugs: ProviderPlug[] } {
  switch (run) {
    case 'flawed':
      return { overrides: {}, plugs: poolPlug(() => CONNECTION_PER_QUERY) };
    case 'remediated':
      return { overrides: {}, plugs: [] };
    case "pg's default pool":
      return { overrides: {}, plugs: poolPlug(() => ({})) };
    case 'very large max':
      return { overrides: { DB_POOL_MAX: '1000' }, plugs: [] };
    case 'no connection wait limit':
      return { overrides: {}, plugs: poolPlug((knobs) => ({ ...knobs, connectionTimeoutMillis: 0 })) };
  }
}

async function seed(url: string): Promise<{ organiser: SeededUser; eventId: string }> {
  await migrateDatabase(parseConfig({ ...TEST_SECRETS, DATABASE_URL: url }).database);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const [organiser] = (await seedUsers(pool, 1, { role: 'organiser' })) as [SeededUser];
    const [event] = await seedEvents(pool, organiser.id, 1);
    return { organiser, eventId: event!.id };
  } finally {
    await pool.end();
  }
}

/** The service at saturation: 500 GET /events/:id against a locked events table (see saturatePool). */
async function saturate(ctx: FindingContext, run: Run, url: string): Promise<Measurement> {
  const { organiser, eventId } = await seed(url);
  const { overrides, plugs } = setupFor(run);
  const testApp = await startTestApp(
    { databaseUrl: url, redisUrl: ctx.redisUrl, prefix: ctx.prefix },
    {
      DB_POOL_MAX: String(POOL_MAX),
      DB_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
      // Held requests wait on the lock, not on a timer.
      DB_STATEMENT_TIMEOUT_MS: '120000',
      // Hundreds of refused connections are this measurement's point, not news for the test log.
      LOG_LEVEL: 'fatal',
      ...overrides,
    },
    { plugs },
  );
  try {
    const headers = await bearer(testApp.app, organiser);
    const options = {
      databaseUrl: url,
      applicationName: `${testApp.config.database.applicationName}-api`,
      lockedTable: 'events',
      requests: REQUESTS,
      poolMax: POOL_MAX,
      patienceMs: PATIENCE_MS,
      request: () => fetch(`${testApp.url}/events/${eventId}`, { headers }),
    };
    const saturation = await saturatePool(options);
    return {
      value: saturation.unbounded,
      details: {
        ...poolSaturationDetails(options, saturation),
        'server max_connections': SERVER_MAX_CONNECTIONS,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:S-4',
  title: 'No connection pool configuration',
  explanation:
    'A connection per request means connections grow with concurrency until the server refuses them ("too many ' +
    'clients"), and every request pays the TCP + auth handshake. The app holds one pool per process, sized by formula ' +
    '(min(hardware guidance / instances, (max_connections − reserved) / instances), docs/capacity-event-registration.md), ' +
    'with connectionTimeoutMillis set so an exhausted pool fails fast with a 503 that says so, instead of queueing ' +
    'forever. Every run drives the real API at saturation on a PostgreSQL of its own (max_connections 40, so exhausting ' +
    'it breaks no other test): a session holds the events table, 500 GET /events/:id arrive, and each request that gets ' +
    'a connection blocks on the lock. The value counts what the pool failed to bound while the lock was held: server ' +
    'connections beyond the cap of 10, callers left waiting (no answer within 10× the 1 s connection timeout) and callers ' +
    "turned away by the server instead of the pool. The flawed run has the review's connection-per-request in place of " +
    "the DataSource's pool.",
  fix: [
    'src/config.ts',
    'src/database/data-source.factory.ts',
    '../../libs/http/src/to-api-error.ts',
    '../../docs/capacity-event-registration.md',
  ],
  difficulty: 1,
  hints: [
    'At 500 concurrent requests, how many connections does the server see? Who decides that number?',
    "One pool per process, capped well below the server's max_connections, shared by every request.",
    'A capped pool still needs a bound on the wait: set a connection timeout so an exhausted pool refuses fast instead of queueing forever.',
    'The technique: a sized connection pool (max from the capacity formula, connectionTimeoutMillis set), failing fast with a 503.',
  ],
  seam:
    "DataSource (Nest provider of DatabaseModule) ← the service's own DataSource options with the pool knobs replaced " +
    '(katas/s-4-connection-per-request.flawed.ts serviceDataSourceWithPool; flawed: CONNECTION_PER_QUERY); DB_POOL_MAX for a config put-back',
  flawsPutBack: {
    "pg's default pool":
      "the pool knobs left to pg's defaults (max 10, no connection timeout: an exhausted pool queues forever)",
    'very large max': 'DB_POOL_MAX=1000: a cap above what the server allows',
    'no connection wait limit':
      "the service's knobs with connectionTimeoutMillis 0 (wait for a connection forever)",
  },
  metric: {
    name: 'callers the pool did not bound at saturation (connections beyond the cap, left waiting, refused by the server)',
    unit: 'callers',
    better: 'lower',
  },
  async measure(run, ctx): Promise<Measurement> {
    // A server of its own: exhausting the shared test server's connections would fail every other test.
    const postgres = await startEmbeddedPostgres({
      database: 'pool_test',
      settings: { max_connections: SERVER_MAX_CONNECTIONS, superuser_reserved_connections: 0 },
    });
    try {
      return await saturate(ctx, run, postgres.url);
    } finally {
      await postgres.stop();
    }
  },
  flawed: (unbounded) => unbounded > 0,
  remediated: (unbounded) => unbounded === 0,
  timeoutMs: 180_000,
});
