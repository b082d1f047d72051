import { dataSourcePools } from '@remedy/pooling';
import {
  defineFinding,
  startEmbeddedPostgres,
  waitUntil,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import { DataSource } from 'typeorm';
import { startConnectionPerRequestApi } from '../katas/s-4-connection-per-request.flawed.js';
import { parseConfig } from '../src/config.js';
import { migrateDatabase } from '../src/database/migrate-database.js';
import { sampleConnections } from './support/connection-sampler.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';
import pg from 'pg';

const REQUESTS = 500;
const POOL_MAX = 10;
/** The server's connection limit in the flawed run: a small managed instance (the review: "RDS may have lower limits"). */
const SERVER_MAX_CONNECTIONS = 40;

interface Load {
  failed: number;
  statuses: Record<number, number>;
}

async function fireConcurrently(url: string, headers: Record<string, string>): Promise<Load> {
  const statuses: Record<number, number> = {};
  let failed = 0;
  await Promise.all(
    Array.from({ length: REQUESTS }, async () => {
      try {
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status !== 200) failed += 1;
      } catch {
        failed += 1;
      }
    }),
  );
  return { failed, statuses };
}

/** Sessions ever established to the server's kata database (PostgreSQL 14+ counts them per database). */
async function sessionsEstablished(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ sessions: string }>(
      'SELECT sessions FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.sessions ?? 0);
  } finally {
    await client.end();
  }
}

async function connectionsOf(url: string, applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

async function measureFlawed(): Promise<Measurement> {
  // A server of its own: exhausting the shared test server's connections would fail every other test.
  const postgres = await startEmbeddedPostgres({
    database: 'kata_test',
    settings: { max_connections: SERVER_MAX_CONNECTIONS, superuser_reserved_connections: 0 },
  });
  try {
    await migrateDatabase(parseConfig({ ...TEST_SECRETS, DATABASE_URL: postgres.url }).database);
    const pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    const [organiser] = (await seedUsers(pool, 1, { role: 'organiser' })) as [SeededUser];
    const [event] = await seedEvents(pool, organiser.id, 1);
    await pool.end();
    const api = await startConnectionPerRequestApi(postgres.url);
    try {
      const before = await sessionsEstablished(postgres.url);
      const sampler = await sampleConnections(postgres.url, 'kata-s-4');
      const load = await fireConcurrently(`${api.url}/events/${event!.id}`, {});
      const peak = await sampler.stop();
      await waitUntil(
        'the kata to close its connections',
        async () => (await connectionsOf(postgres.url, 'kata-s-4')) === 0,
        10_000,
      );
      // Less the sampler's session and the two bookkeeping sessions opened since `before`.
      const opened = (await sessionsEstablished(postgres.url)) - before - 3;
      return {
        value: opened,
        details: {
          requests: REQUESTS,
          'failed requests': load.failed,
          'peak concurrent server connections': peak,
          'server max_connections': SERVER_MAX_CONNECTIONS,
        },
      };
    } finally {
      await new Promise((resolve) => api.server.close(resolve));
    }
  } finally {
    await postgres.stop();
  }
}

async function measureRemediated(ctx: FindingContext): Promise<Measurement> {
  const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
  const [event] = await seedEvents(ctx.pool, organiser.id, 1);
  const testApp = await startTestApp(ctx, {
    DB_POOL_MAX: String(POOL_MAX),
    DB_CONNECTION_TIMEOUT_MS: '5000',
  });
  try {
    const headers = await bearer(testApp.app, organiser);
    let opened = 0;
    for (const pool of dataSourcePools(testApp.app.get(DataSource))) {
      pool.on('connect', () => {
        opened += 1;
      });
    }
    const sampler = await sampleConnections(ctx.databaseUrl, 'event-registration-api');
    const load = await fireConcurrently(`${testApp.url}/events/${event!.id}`, headers);
    const peak = await sampler.stop();
    if (load.failed > 0) {
      throw new Error(`${load.failed} of ${REQUESTS} requests failed: ${JSON.stringify(load.statuses)}`);
    }
    return {
      value: opened,
      details: {
        requests: REQUESTS,
        'failed requests': 0,
        'peak concurrent server connections': peak,
        'pool max': POOL_MAX,
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
    'A connection per request means connections grow with concurrency until the server refuses them ("too many clients"), and every request pays the TCP + auth handshake. The app holds one pool per process, sized by formula (min(hardware guidance / instances, (max_connections − reserved) / instances), docs/capacity-event-registration.md), with connectionTimeoutMillis set so an exhausted pool fails fast with a 503 that says so, instead of queueing forever. 500 concurrent requests then open at most the pool size of connections (reused across requests) and all succeed. The flawed run uses its own throwaway PostgreSQL with max_connections 40, because exhausting the shared test server would break every other test.',
  fix: [
    'src/config.ts',
    'src/database/data-source.factory.ts',
    '../../libs/http/src/to-api-error.ts',
    '../../docs/capacity-event-registration.md',
  ],
  metric: {
    name: 'server connections opened to serve 500 concurrent requests',
    unit: 'connections',
    better: 'lower',
  },
  measure: (variant, ctx) => (variant === 'flawed' ? measureFlawed() : measureRemediated(ctx)),
  flawed: (connections) => connections > POOL_MAX,
  remediated: (connections) => connections <= POOL_MAX,
  timeoutMs: 120_000,
});
