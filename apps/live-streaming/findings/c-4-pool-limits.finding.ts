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
import { serviceDataSourceWithPool, UNBOUNDED_POOL } from '../katas/c-4-unbounded-pool.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import { parseConfig, type AppConfig, type ConfigValues } from '../src/config.js';
import { migrateDatabase } from '../src/database/migrate-database.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

const REQUESTS = 100;
const POOL_MAX = 10;
const CONNECTION_TIMEOUT_MS = 250;
/** How long the held connections stay held for callers beyond the cap to be answered: 20× the timeout. */
const PATIENCE_MS = 20 * CONNECTION_TIMEOUT_MS;
/** A small managed instance, of this measurement's own, so exhausting it breaks no other test. */
const SERVER_MAX_CONNECTIONS = 40;

type Run = 'flawed' | 'remediated' | 'very large max' | 'no connection wait limit';

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
      return { overrides: {}, plugs: poolPlug(() => UNBOUNDED_POOL) };
    case 'remediated':
      return { overrides: {}, plugs: [] };
    case 'very large max':
      return { overrides: { DB_POOL_MAX: '1000' }, plugs: [] };
    case 'no connection wait limit':
      return { overrides: {}, plugs: poolPlug((knobs) => ({ ...knobs, connectionTimeoutMillis: 0 })) };
  }
}

/** The service at saturation: 100 GET /users/:id/followers against a locked follows table (see saturatePool). */
async function saturate(ctx: FindingContext, run: Run, url: string): Promise<Measurement> {
  await migrateDatabase(parseConfig({ ...TEST_SECRETS, DATABASE_URL: url }).database);
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
    const viewer = await new ApiClient(testApp.url).signup('c4_viewer@example.com');
    const options = {
      databaseUrl: url,
      applicationName: `${testApp.config.database.applicationName}-api`,
      lockedTable: 'follows',
      requests: REQUESTS,
      poolMax: POOL_MAX,
      patienceMs: PATIENCE_MS,
      request: () =>
        fetch(`${testApp.url}/users/${viewer.user.id}/followers`, {
          headers: { authorization: `Bearer ${viewer.accessToken}` },
        }),
    };
    const saturation = await saturatePool(options);
    ctx.log(
      `${run}: peak ${saturation.peakConnections} connections (cap ${POOL_MAX}), ${saturation.poolRefusals} pool 503s, ` +
        `${saturation.otherRefusals} other refusals, ${saturation.leftWaiting} left waiting`,
    );
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
  id: 'livestream:C4',
  title: 'No connection pool limits',
  explanation:
    'With no pool limits every API instance opens a connection per concurrent request until Postgres refuses them ' +
    '("too many clients"), and a caller waits for a connection as long as it takes. The app holds one pool per ' +
    'process sized by the formula of @remedy/pooling (min(hardware guidance / instances, (max_connections − reserved) ' +
    '/ instances), DB_POOL_MAX overrides it), with a connection timeout so an exhausted pool answers at once with a 503 ' +
    '"database busy" and Retry-After. Every run drives the real API at saturation on a PostgreSQL of its own ' +
    '(max_connections 40, so exhausting it breaks no other test): a session locks the follows table, 100 GET ' +
    '/users/:id/followers arrive, and each request that gets a connection blocks on the lock. The value counts what ' +
    "the pool failed to bound while the lock was held: server connections (pg_stat_activity, by the API pool's " +
    'application_name) beyond the cap of 10, callers left waiting (no answer within 20× the 0.25 s connection timeout) ' +
    'and callers turned away by the server instead of the pool.',
  fix: ['src/config.ts', 'src/database/data-source.factory.ts', '../../libs/http/src/to-api-error.ts'],
  difficulty: 1,
  hints: [
    'At 100 concurrent requests, how many connections does the server see? Who decides that number?',
    "One pool per process, capped well below the server's max_connections divided by the instances.",
    'A capped pool still needs a bound on the wait: a connection timeout, so an exhausted pool refuses fast.',
    'The technique: a pool sized by formula with connectionTimeoutMillis set, failing fast with a 503.',
  ],
  seam:
    "DataSource (Nest provider of DatabaseModule) ← the service's own DataSource with the pool knobs replaced " +
    '(katas/c-4-unbounded-pool.flawed.ts UNBOUNDED_POOL); DB_POOL_MAX for a config put-back',
  flawsPutBack: {
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
    const postgres = await startEmbeddedPostgres({
      database: 'live_streaming_pool_test',
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
  timeoutMs: 120_000,
});
