import { queryEvents } from '@remedy/pooling';
import {
  defineFinding,
  openReplicatedDatabase,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import pg from 'pg';
import { PRIMARY_ONLY_DEPLOYMENT, ReplicaForEveryList } from '../katas/s-6-reads-on-primary.flawed.js';
import { parseConfig, type ConfigValues } from '../src/config.js';
import { migrateDatabase } from '../src/database/migrate-database.js';
import { FollowListRouting } from '../src/follows/follow-list-routing.js';
import type { FollowPageDto } from '../src/follows/follow-page.dto.js';
import { ApiClient } from './support/api-client.js';
import { seedFollowers } from './support/seed-followers.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

const FOLLOWERS = 300;
const READ_ROUNDS = 5;

type Run = 'flawed' | 'remediated' | 'own lists on the replica';

function setupFor(run: Run, replicaUrl: string): { overrides: ConfigValues; plugs: ProviderPlug[] } {
  switch (run) {
    case 'flawed':
      return { overrides: { ...PRIMARY_ONLY_DEPLOYMENT }, plugs: [] };
    case 'remediated':
      return { overrides: { DATABASE_REPLICA_URL: replicaUrl }, plugs: [] };
    case 'own lists on the replica':
      return {
        overrides: { DATABASE_REPLICA_URL: replicaUrl },
        plugs: [{ provide: FollowListRouting, useClass: ReplicaForEveryList }],
      };
  }
}

/** Which server (by `pg_is_in_recovery()`) holds the sessions of each application_name, for this database. */
async function serverByApplication(urls: string[]): Promise<Map<string, 'primary' | 'replica'>> {
  const found = new Map<string, 'primary' | 'replica'>();
  for (const url of urls) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ application: string; recovering: boolean }>(
        `SELECT DISTINCT application_name AS application, pg_is_in_recovery() AS recovering
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> ''`,
      );
      for (const row of rows) found.set(row.application, row.recovering ? 'replica' : 'primary');
    } finally {
      await client.end();
    }
  }
  return found;
}

/** Runs `work` with the replica's WAL replay paused: a replica that lags behind, for as long as it takes. */
async function withReplayPaused<T>(replicaUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: replicaUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_wal_replay_pause()');
    return await work();
  } finally {
    await client.query('SELECT pg_wal_replay_resume()');
    await client.end();
  }
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // A real streaming replica: which server answered is a fact of the connection (pg_is_in_recovery() of the
  // server holding the pool's sessions), not a pool's name.
  const db = await openReplicatedDatabase({
    databaseUrl: ctx.databaseUrl,
    migrate: async (url) => {
      await migrateDatabase(parseConfig({ ...TEST_SECRETS, DATABASE_URL: url }).database);
    },
  });
  const statementsByPool = new Map<string, number>();
  let counting = false;
  const unsubscribe = queryEvents.subscribe((event) => {
    if (counting) statementsByPool.set(event.pool, (statementsByPool.get(event.pool) ?? 0) + 1);
  });
  const { overrides, plugs } = setupFor(run, db.replicaUrl);
  const testApp = await startTestApp(
    { databaseUrl: db.databaseUrl, redisUrl: ctx.redisUrl, prefix: ctx.prefix },
    overrides,
    { plugs },
  );
  const seedPool = new pg.Pool({ connectionString: db.databaseUrl, max: 1 });
  let servers = new Map<string, 'primary' | 'replica'>();
  let staleOwnReads = 0;
  try {
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('s6_streamer@example.com');
    const viewer = await api.signup('s6_viewer@example.com');
    await seedFollowers(seedPool, streamer.user.id, { count: FOLLOWERS, tieSize: 1, emailPrefix: 's6_fan_' });
    await db.replica.waitForCatchUp();

    // Other members' lists: may be a replication delay behind, so the replica's to serve.
    counting = true;
    for (let round = 0; round < READ_ROUNDS; round += 1) {
      const first = await api.expect<FollowPageDto>(
        200,
        'GET',
        `/users/${streamer.user.id}/followers?limit=100`,
        undefined,
        viewer.accessToken,
      );
      await api.expect(
        200,
        'GET',
        `/users/${streamer.user.id}/followers?limit=100&cursor=${encodeURIComponent(first.pagination.nextCursor ?? '')}`,
        undefined,
        viewer.accessToken,
      );
      await api.expect(200, 'GET', `/users/${streamer.user.id}/following`, undefined, viewer.accessToken);
    }
    counting = false;
    const listReads = new Map(statementsByPool);

    // A member's own list right after their own follow, with the replica behind: must show the follow.
    staleOwnReads = await withReplayPaused(db.replicaUrl, async () => {
      await api.expect(204, 'POST', `/users/${streamer.user.id}/follow`, undefined, viewer.accessToken);
      const own = await api.expect<FollowPageDto>(
        200,
        'GET',
        `/users/${viewer.user.id}/following`,
        undefined,
        viewer.accessToken,
      );
      return own.data.some((entry) => entry.userId === streamer.user.id) ? 0 : 1;
    });
    servers = await serverByApplication([db.databaseUrl, db.replicaUrl]);
    statementsByPool.clear();
    for (const [pool, count] of listReads) statementsByPool.set(pool, count);
  } finally {
    unsubscribe();
    await seedPool.end();
    await testApp.close();
    await db.close();
  }
  let onPrimary = 0;
  let onReplica = 0;
  const byPool: string[] = [];
  for (const [pool, statements] of statementsByPool) {
    // A pool seen on neither server is not proven to read the replica.
    const server = servers.get(pool) ?? 'primary';
    if (server === 'replica') onReplica += statements;
    else onPrimary += statements;
    byPool.push(`${pool}→${server}×${statements}`);
  }
  ctx.log(
    `${run}: list reads by the primary ${onPrimary}, by the replica ${onReplica} (${byPool.join(', ')}); ` +
      `own list stale after own follow: ${staleOwnReads}`,
  );
  return {
    value: onPrimary + staleOwnReads,
    details: {
      [`statements of ${READ_ROUNDS * 3} reads of another member's lists answered by the primary`]: onPrimary,
      'answered by the replica': onReplica,
      'statements by pool → server': byPool.join(', '),
      "own 'following' list missing the follow just made (replica replay paused)": staleOwnReads,
    },
  };
}

export default defineFinding({
  id: 'livestream:S6',
  title: 'No read/write separation',
  explanation:
    'One PostgreSQL served every write and every read, so follow-list browsing competed with follows, sign-ups and ' +
    'go-live writes for the primary. With DATABASE_REPLICA_URL set, the API holds a second pool on a streaming replica ' +
    "and reads another member's follow lists there (a list a few milliseconds behind is indistinguishable from one " +
    'read a moment earlier). Everything else stays on the primary: writes, logins and sessions, profile loads (the ' +
    "cache is filled from them right after an update's DEL, so a stale replica would pin the old profile for an " +
    "hour), and a member's own lists, so a follow shows at once in the follower's own list (read-your-writes). The " +
    'proof runs the real app on a primary with a real streaming replica (pg_basebackup, hot standby on loopback), ' +
    "reads another member's lists 15 times and counts their statements by the server that answered (pg_is_in_recovery() " +
    "of the server holding each pool's sessions), then pauses the replica's WAL replay, follows, and reads the own list.",
  fix: [
    'src/follows/follow-list-routing.ts',
    'src/follows/follow-list.queries.ts',
    'src/database/data-source.factory.ts',
    '../../libs/pooling/src/typeorm/create-data-source.ts',
  ],
  difficulty: 2,
  hints: [
    'Which reads could a replica serve, and which must see a write the same member just made?',
    'Give the API a second pool on the replica and send only the reads that tolerate lag there.',
    "A member's own view after their own write reads the primary; other members' views may lag by the replication delay.",
    'The technique: read/write splitting with read-your-writes for the writer.',
  ],
  seam:
    'DATABASE_REPLICA_URL (flawed: unset while a replica streams, katas/s-6-reads-on-primary.flawed.ts PRIMARY_ONLY_DEPLOYMENT); ' +
    'FollowListRouting (Nest provider) ← ReplicaForEveryList for the flaw put back',
  flawsPutBack: {
    'own lists on the replica':
      "every follow list read from the replica, the member's own included: no read-your-writes",
  },
  metric: {
    name: "statements of other members' list reads answered by the primary + own lists missing the member's own follow",
    unit: 'statements',
    better: 'lower',
  },
  measure,
  flawed: (misrouted) => misrouted > 0,
  remediated: (misrouted) => misrouted === 0,
  timeoutMs: 120_000,
});
