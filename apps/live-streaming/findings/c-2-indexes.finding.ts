import {
  createDataSource,
  poolStatementsDuring,
  type QueryEvent,
  runMigrationsExclusively,
} from '@remedy/pooling';
import {
  defineFinding,
  describeScans,
  executedScans,
  explainScans,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import type { MigrationInterface } from 'typeorm';
import {
  ReviewedSchemaWithoutIndexes1799999999999,
  WithoutFollowersIndex1799999999999,
} from '../katas/c-2-schema-without-indexes.flawed.js';
import { APP_ENTITIES } from '../src/database/app-entities.js';
import { APP_MIGRATIONS } from '../src/database/app-migrations.js';
import type { FollowPageDto } from '../src/follows/follow-page.dto.js';
import { ApiClient } from './support/api-client.js';
import { seedFollowers } from './support/seed-followers.js';
import { startTestApp } from './support/start-test-app.js';

const FOLLOWERS = 20_000;
/** How many of those the viewer follows back: a heavy "following" list of its own. */
const FOLLOWED_BY_VIEWER = 2_000;

type Run = 'flawed' | 'remediated' | 'follows_following_created_idx dropped';

/** The migration set the database is built from: the app's own, plus the review's schema for a flawed run. */
const EXTRA_MIGRATIONS: Record<Run, (new () => MigrationInterface)[]> = {
  flawed: [ReviewedSchemaWithoutIndexes1799999999999],
  remediated: [],
  'follows_following_created_idx dropped': [WithoutFollowersIndex1799999999999],
};

async function migrate(ctx: FindingContext, run: Run): Promise<void> {
  const dataSource = createDataSource({
    name: 'kata-c-2-migrations',
    connectionString: ctx.databaseUrl,
    max: 1,
    connectionTimeoutMillis: 10_000,
    statementTimeoutMs: 60_000,
    idleInTransactionSessionTimeoutMs: 60_000,
    entities: APP_ENTITIES,
    migrations: [...APP_MIGRATIONS, ...EXTRA_MIGRATIONS[run]],
  });
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource, ctx.databaseUrl);
  } finally {
    await dataSource.destroy();
  }
}

/** One hot read path: the request that drives it, the statement to judge, and the index made for it. */
interface HotPath {
  name: string;
  path: string;
  index: string;
  statement: RegExp;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await migrate(ctx, run);
  const testApp = await startTestApp(ctx);
  try {
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('c2_streamer@example.com');
    const viewer = await api.signup('c2_viewer@example.com');
    const followers = await seedFollowers(ctx.pool, streamer.user.id, {
      count: FOLLOWERS,
      tieSize: 1,
      emailPrefix: 'c2_f',
    });
    await ctx.pool.query(
      `INSERT INTO follows (follower_id, following_id, created_at)
       SELECT $1::uuid, id, now() - ordinality * interval '1 second' FROM unnest($2::uuid[]) WITH ORDINALITY AS id`,
      [viewer.user.id, followers.slice(0, FOLLOWED_BY_VIEWER)],
    );
    await ctx.pool.query('VACUUM ANALYZE follows');

    const firstPage = await api.expect<FollowPageDto>(
      200,
      'GET',
      `/users/${streamer.user.id}/followers?limit=100`,
      undefined,
      viewer.accessToken,
    );
    const after = encodeURIComponent(firstPage.pagination.nextCursor ?? '');
    const hotPaths: HotPath[] = [
      {
        name: "a streamer's followers, first page",
        path: `/users/${streamer.user.id}/followers`,
        index: 'follows_following_created_idx',
        statement: /WHERE f\.following_id = \$1/,
      },
      {
        name: "a streamer's followers, next page",
        path: `/users/${streamer.user.id}/followers?limit=100&cursor=${after}`,
        index: 'follows_following_created_idx',
        statement: /WHERE f\.following_id = \$1/,
      },
      {
        name: "a member's following list",
        path: `/users/${viewer.user.id}/following`,
        index: 'follows_follower_created_idx',
        statement: /WHERE f\.follower_id = \$1/,
      },
    ];

    const details: Record<string, string | number> = {};
    let missed = 0;
    for (const hot of hotPaths) {
      const { statements } = await poolStatementsDuring(
        `${testApp.config.database.applicationName}-api`,
        () => api.expect(200, 'GET', hot.path, undefined, viewer.accessToken),
      );
      const statement = statements.find((candidate: QueryEvent) => hot.statement.test(candidate.sql));
      if (!statement)
        throw new Error(`${hot.name}: the app ran no statement matching ${String(hot.statement)}`);
      const values = [...(statement.values ?? [])];
      const scans = await executedScans(ctx.pool, statement.sql, values);
      const { rowsExamined } = await explainScans(ctx.pool, statement.sql, values);
      const onFollows = scans.filter((scan) => scan.relation === 'follows');
      const served = onFollows.length > 0 && onFollows.every((scan) => scan.index === hot.index);
      if (!served) missed += 1;
      details[hot.name] = `${describeScans(onFollows)}; ${rowsExamined} rows examined`;
    }
    ctx.log(`${run}: ${missed} of ${hotPaths.length} hot queries off their index`);
    return { value: missed, details };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:C2',
  title: 'No indexes beyond primary keys: follow lists scan the whole follows table',
  explanation:
    'The reviewed schema indexed primary keys only, so "who follows this streamer" and "whom does this member follow" ' +
    'read every row of follows and sort the matches, at every page: the cost grows with the whole table, not with the ' +
    'page. The remedy gives every hot query the index that matches its filter and keyset order: (following_id, ' +
    'created_at DESC, follower_id DESC) for followers, (follower_id, created_at DESC, following_id DESC) for following, ' +
    'and for streams a partial index on live streams by start and one on (user_id, started_at DESC). Measured on ' +
    '22,000 follows (a 20,000-follower streamer, a member following 2,000): the real app serves the follow lists ' +
    'through HTTP, and each statement it ran is re-run under EXPLAIN ANALYZE with its own parameters; the value counts ' +
    'the hot queries whose scan of follows did not go through the index made for them.',
  fix: ['src/migrations/1790000000000-create-live-streaming-schema.ts', 'src/follows/follow-list.sql.ts'],
  difficulty: 1,
  hints: [
    'Look at the plan of the followers query on a big table: how many rows does it read to return 20?',
    'An index whose leading column is the filter lets Postgres jump to one streamer’s followers.',
    'Put the keyset order in the index after the filter column (created_at DESC, follower_id DESC), so a page is a range read with no sort.',
    'The technique: composite B-tree indexes matching each hot query’s WHERE and ORDER BY, checked with EXPLAIN.',
  ],
  seam: 'the migration set: katas/c-2-schema-without-indexes.flawed.ts applied after the app’s migrations turns the schema back into the review’s (primary keys only)',
  flawsPutBack: {
    'follows_following_created_idx dropped':
      'WithoutFollowersIndex: the followers index alone is missing; both followers pages fall back to a scan',
  },
  metric: {
    name: 'hot follow-list queries not served by the index made for them (of 3)',
    unit: 'queries',
    better: 'lower',
  },
  measure,
  flawed: (missed) => missed === 3,
  remediated: (missed) => missed === 0,
  timeoutMs: 180_000,
});
