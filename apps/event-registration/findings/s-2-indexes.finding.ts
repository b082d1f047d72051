import {
  createDataSource,
  createPgPool,
  poolStatementsDuring,
  type QueryEvent,
  runMigrationsExclusively,
} from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import type pg from 'pg';
import type { MigrationInterface } from 'typeorm';
import {
  ReviewedSchemaWithoutIndexes1789999999999,
  WithoutRegistrationsEventStatusIndex1789999999999,
} from '../katas/s-2-schema-without-indexes.flawed.js';
import { APP_ENTITIES } from '../src/database/app-entities.js';
import { APP_MIGRATIONS } from '../src/database/app-migrations.js';
import { ONE_LIVE_REGISTRATION_INDEX } from '../src/migrations/1780100000000-one-live-registration-per-user.js';
import { ReminderCollectorService } from '../src/reminders/reminder-collector.service.js';
import { bearer } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';

interface HotQueryValues {
  eventStart: Date;
  eventId: string;
  category: string;
  day: Date;
  organiserId: string;
  userId: string;
  registrationId: string;
}

const EVENTS = 20_000;
const ATTENDEES = 5_000;
const ORGANISERS = 200;
const REGISTRATIONS_PER_EVENT = 5;
const BUSY_EVENT_REGISTRATIONS = 2_000;
const MIN_ROWS_THAT_MATTER = 100;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Events over 36 months of partitions, five registrations each, survey responses from half of those. */
async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO users (email, name, department, role, password_hash)
     SELECT 'u' || g || '@example.com', 'User ' || g, 'Dept ' || (g % 12),
            CASE WHEN g <= $2::int THEN 'organiser' ELSE 'attendee' END, 'seeded'
       FROM generate_series(1, $1::int + $2::int) AS g`,
    [ATTENDEES, ORGANISERS],
  );
  await pool.query(
    `INSERT INTO events (organiser_id, title, category, status, start_datetime, end_datetime, capacity, remaining_capacity)
     SELECT o.id, 'Event ' || g, 'cat-' || (g % 20), CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END,
            date_trunc('month', now()) - interval '29 months' + g * interval '1 hour',
            date_trunc('month', now()) - interval '29 months' + g * interval '1 hour' + interval '2 hours', 100, 95
       FROM generate_series(1, $1) AS g
       JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE role = 'organiser') o
         ON o.n = 1 + g % $2`,
    [EVENTS, ORGANISERS],
  );
  await pool.query(
    `INSERT INTO registrations (event_id, user_id, event_starts_at, status)
     SELECT e.id, u.id, e.start_datetime, 'registered'
       FROM (SELECT id, start_datetime, row_number() OVER (ORDER BY id) AS n FROM events) e
       CROSS JOIN generate_series(1, $2) AS k
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE role = 'attendee') u
         ON u.n = (e.n * 7 + k * 1009) % $1`,
    [ATTENDEES, REGISTRATIONS_PER_EVENT],
  );
  await pool.query(
    `INSERT INTO survey_responses (event_id, user_id, event_starts_at, answers)
     SELECT event_id, user_id, event_starts_at, '[]'::jsonb FROM registrations WHERE (hashtext(user_id::text) & 1) = 0`,
  );
  // The dashboard's event: one busy, finished event (2,000 registrations, every status, most checked in
  // and answering the survey), so its reads are planned on the data they are meant for, not on a tie.
  await pool.query(
    `WITH big AS (SELECT id, start_datetime FROM events WHERE status = 'published'
                   ORDER BY start_datetime OFFSET $1 LIMIT 1)
     INSERT INTO registrations (event_id, user_id, event_starts_at, status, checked_in_at)
     SELECT big.id, u.id, big.start_datetime,
            CASE WHEN u.n % 10 = 0 THEN 'cancelled' WHEN u.n % 7 = 0 THEN 'waitlisted'
                 WHEN u.n % 5 = 0 THEN 'registered' ELSE 'checked_in' END,
            CASE WHEN u.n % 10 <> 0 AND u.n % 7 <> 0 AND u.n % 5 <> 0 THEN big.start_datetime END
       FROM big, (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE role = 'attendee' LIMIT $2) u
     ON CONFLICT DO NOTHING`,
    [EVENTS / 2, BUSY_EVENT_REGISTRATIONS],
  );
  await pool.query(
    `INSERT INTO survey_responses (event_id, user_id, event_starts_at, answers)
     SELECT event_id, user_id, event_starts_at, '[]'::jsonb FROM registrations
      WHERE event_id = (SELECT id FROM events WHERE status = 'published' ORDER BY start_datetime OFFSET $1 LIMIT 1)
        AND status = 'checked_in'
     ON CONFLICT DO NOTHING`,
    [EVENTS / 2],
  );
  await pool.query('VACUUM ANALYZE');
}

async function sampleValues(pool: pg.Pool): Promise<HotQueryValues> {
  const { rows } = await pool.query<{
    start: Date;
    id: string;
    organiser: string;
    user: string;
    registration: string;
    day: Date;
  }>(
    `SELECT e.start_datetime AS start, e.id, e.organiser_id AS organiser, r.user_id AS user,
            r.id AS registration, date_trunc('day', e.start_datetime) AS day
       FROM (SELECT * FROM events WHERE status = 'published' ORDER BY start_datetime OFFSET $1 LIMIT 1) e
       JOIN registrations r ON r.event_id = e.id AND r.status = 'registered'
      ORDER BY r.id LIMIT 1`,
    [EVENTS / 2],
  );
  const row = rows[0];
  if (!row) throw new Error('no seeded event');
  return {
    eventStart: row.start,
    eventId: row.id,
    category: 'cat-7',
    day: row.day,
    organiserId: row.organiser,
    userId: row.user,
    registrationId: row.registration,
  };
}

type Run = 'flawed' | 'remediated' | 'registrations_event_status_idx dropped';

/** The migration set the database is built from: the app's own, plus the review's schema for a flawed run. */
const EXTRA_MIGRATIONS: Record<Run, (new () => MigrationInterface)[]> = {
  flawed: [ReviewedSchemaWithoutIndexes1789999999999],
  remediated: [],
  'registrations_event_status_idx dropped': [WithoutRegistrationsEventStatusIndex1789999999999],
};

async function migrate(ctx: FindingContext, run: Run): Promise<void> {
  const dataSource = createDataSource({
    name: 'kata-s-2-migrations',
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

/** One hot read path: how to drive it, which of its statements to judge, and the index meant for it. */
interface HotPath {
  name: string;
  table: 'events' | 'registrations' | 'survey_responses';
  /** The index (by name) the schema made for it; two where the schema has two made for the same shape. */
  index: readonly string[];
  /** Picks the statement(s) of this path that read `table` the way the index is for. */
  statement: RegExp;
}

const HOT_PATHS = {
  eventPage: {
    name: 'GET /events, a later keyset page',
    table: 'events',
    // status first, or start first with status as a filter: both were made for this keyset; a published
    // majority makes the planner pick either.
    index: ['events_status_start_idx', 'events_start_idx'],
    statement: /FROM "events"/,
  },
  category: {
    name: 'GET /events?category=',
    table: 'events',
    index: ['events_published_category_idx'],
    statement: /FROM "events"/,
  },
  drafts: {
    name: "GET /events?status=draft (the organiser's own)",
    table: 'events',
    index: ['events_organiser_idx'],
    statement: /FROM "events"/,
  },
  stats: {
    name: 'GET /events/:id/stats, registrations by department',
    table: 'registrations',
    // Either index made for one event's registrations: (event_id, status) INCLUDE (checked_in_at), or the
    // unique key over live registrations (event_id, user_id, event_starts_at, <NULL unless cancelled>), which
    // indexes every row and also holds the partition key and the join column.
    index: ['registrations_event_status_idx', ONE_LIVE_REGISTRATION_INDEX],
    statement: /GROUP BY u\.department/,
  },
  mine: {
    name: 'GET /me/registrations',
    table: 'registrations',
    index: ['registrations_user_idx'],
    statement: /FROM registrations r JOIN events/,
  },
  responses: {
    name: 'GET /events/:id/survey/responses',
    table: 'survey_responses',
    index: ['survey_responses_event_submitted_idx'],
    statement: /FROM survey_responses WHERE event_id = \$1 AND event_starts_at/,
  },
  promotion: {
    name: 'DELETE /registrations/:id, the first waitlisted takes the seat',
    table: 'registrations',
    index: ['registrations_event_status_idx'],
    statement: /status = 'waitlisted'/,
  },
  reminders: {
    name: "reminders: tomorrow's events (ReminderCollectorService)",
    table: 'events',
    index: ['events_start_idx'],
    statement: /FROM registrations r JOIN events e/,
  },
} as const satisfies Record<string, HotPath>;

type HotPathKey = keyof typeof HOT_PATHS;

/** Drives every hot path once on the real app (and the reminder collector) and keeps their statements. */
async function captureHotStatements(
  ctx: FindingContext,
  values: HotQueryValues,
): Promise<Map<HotPathKey, QueryEvent[]>> {
  const captured = new Map<HotPathKey, QueryEvent[]>();
  const testApp = await startTestApp(ctx);
  try {
    const asOrganiser = await bearer(testApp.app, { id: values.organiserId, role: 'organiser' });
    const asAttendee = await bearer(testApp.app, { id: values.userId, role: 'attendee' });
    const apiPools = `${testApp.config.database.applicationName}-api`;
    const get = async (key: HotPathKey, path: string, headers: Record<string, string>, method = 'GET') => {
      const { result, statements } = await poolStatementsDuring(apiPools, async () => {
        const response = await fetch(`${testApp.url}${path}`, {
          method,
          headers,
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        return { status: response.status, body: await response.text() };
      });
      if (result.status !== 200)
        throw new Error(`${method} ${path} answered ${result.status}: ${result.body}`);
      captured.set(key, statements);
      return JSON.parse(result.body) as { pagination?: { nextCursor: string | null } };
    };
    const first = await get('eventPage', '/events?status=published&limit=20', asAttendee);
    await get(
      'eventPage',
      `/events?status=published&limit=20&cursor=${first.pagination?.nextCursor ?? ''}`,
      asAttendee,
    );
    await get('category', `/events?status=published&category=${values.category}`, asAttendee);
    await get('drafts', '/events?status=draft', asOrganiser);
    await get('stats', `/events/${values.eventId}/stats`, asOrganiser);
    await get('mine', '/me/registrations', asAttendee);
    await get('responses', `/events/${values.eventId}/survey/responses`, asOrganiser);
    await get('promotion', `/registrations/${values.registrationId}`, asAttendee, 'DELETE');
  } finally {
    await testApp.close();
  }
  // The worker's collector, on a pool of the same library (so its statements are seen the same way).
  const pool = createPgPool({
    name: 'kata-s-2-reminders',
    connectionString: ctx.databaseUrl,
    max: 1,
    connectionTimeoutMillis: 10_000,
    statementTimeoutMs: 30_000,
    idleInTransactionSessionTimeoutMs: 30_000,
  });
  try {
    const collector = new ReminderCollectorService(pool);
    const { statements } = await poolStatementsDuring('kata-s-2-reminders', async () => {
      for await (const batch of collector.destinations(values.day.toISOString().slice(0, 10))) void batch;
    });
    captured.set('reminders', statements);
  } finally {
    await pool.end();
  }
  return captured;
}

/** Each scan node with a relation: the relation and the indexes it reads through (none for a Seq Scan). */
function scans(node: PlanNode, into: { relation: string; indexes: string[] }[] = []) {
  const relation = node['Relation Name'];
  // Scan nodes only: a ModifyTable (UPDATE) node names its table too, but reads nothing itself.
  if (relation !== undefined && node['Node Type'].endsWith('Scan')) {
    const indexes: string[] = [];
    const collect = (child: PlanNode): void => {
      if (child['Index Name'] !== undefined) indexes.push(child['Index Name']);
      if (child['Relation Name'] === undefined || child === node) child.Plans?.forEach(collect);
    };
    if (node['Index Name'] !== undefined) indexes.push(node['Index Name']);
    if (node['Node Type'] === 'Bitmap Heap Scan') node.Plans?.forEach(collect);
    into.push({ relation, indexes });
  }
  for (const child of node.Plans ?? []) scans(child, into);
  return into;
}

/** A partition (or a partition's index) named by the partitioned table (index) it belongs to. */
async function rootOf(client: pg.PoolClient, name: string): Promise<string> {
  const { rows } = await client.query<{ root: string }>(
    `WITH RECURSIVE up(oid) AS (
       SELECT oid FROM pg_class WHERE relname = $1
       UNION ALL SELECT i.inhparent FROM pg_inherits i JOIN up ON i.inhrelid = up.oid)
     SELECT c.relname AS root FROM up JOIN pg_class c ON c.oid = up.oid
      WHERE NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = up.oid)`,
    [name],
  );
  return rows[0]?.root ?? name;
}

/** A scan counts only on a relation with rows: an empty partition is rightly read sequentially. */
async function populated(client: pg.PoolClient, relation: string): Promise<boolean> {
  const { rows } = await client.query<{ tuples: number }>(
    'SELECT reltuples::float8 AS tuples FROM pg_class WHERE relname = $1',
    [relation],
  );
  return (rows[0]?.tuples ?? 0) >= MIN_ROWS_THAT_MATTER;
}

/** The plans of the captured statements, re-run under EXPLAIN with their own parameters. */
async function judge(
  client: pg.PoolClient,
  path: HotPath,
  statements: QueryEvent[],
): Promise<{ onIndex: boolean; used: string }> {
  const judged = statements.filter((statement) => path.statement.test(statement.sql));
  if (judged.length === 0) {
    throw new Error(
      `${path.name}: none of its statements matched ${path.statement}:\n${statements.map((s) => s.sql).join('\n')}`,
    );
  }
  let onIndex = true;
  const used = new Set<string>();
  for (const statement of judged) {
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${statement.sql}`,
      [...(statement.values ?? [])],
    );
    // The index meant for the path must read the table somewhere in the plan (an UPDATE may also reach
    // rows by primary key), and no populated partition of it may be read whole.
    let throughMeantIndex = false;
    for (const scan of scans(rows[0]!['QUERY PLAN'][0].Plan)) {
      if ((await rootOf(client, scan.relation)) !== path.table) continue;
      const indexes = await Promise.all(scan.indexes.map((index) => rootOf(client, index)));
      if (indexes.some((index) => path.index.includes(index))) throughMeantIndex = true;
      if (indexes.length > 0) indexes.forEach((index) => used.add(index));
      else if (await populated(client, scan.relation)) {
        used.add('Seq Scan');
        onIndex = false;
      }
    }
    if (!throughMeantIndex) onIndex = false;
  }
  return { onIndex, used: [...used].join(', ') || 'no scan of a populated relation' };
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await migrate(ctx, run);
  await seed(ctx.pool);
  const values = await sampleValues(ctx.pool);
  const captured = await captureHotStatements(ctx, values);
  const client = await ctx.pool.connect();
  const details: Record<string, string> = {};
  let offIndex = 0;
  try {
    // Per-worker row estimates make parallel plans flap between runs; the index question is the same.
    await client.query('SET max_parallel_workers_per_gather = 0');
    for (const [key, path] of Object.entries(HOT_PATHS) as [HotPathKey, HotPath][]) {
      const { onIndex, used } = await judge(client, path, captured.get(key) ?? []);
      if (!onIndex) offIndex += 1;
      details[path.name] = `${onIndex ? 'on' : 'NOT on'} ${path.index.join(' | ')} (${used})`;
    }
  } finally {
    client.release();
  }
  ctx.log(`${run}: ${offIndex} of ${Object.keys(HOT_PATHS).length} hot queries not planned on their index`);
  return { value: offIndex, details };
}

export default defineFinding({
  id: 'events:S-2',
  title: 'No indexes on the columns every hot query filters by',
  explanation:
    "The schema had primary keys only, so finding one event's registrations, a user's registrations, a page of published events or tomorrow's events meant reading whole tables, O(rows) per request. Each hot query now has an index shaped for it (equality columns first, then the keyset/range column, INCLUDE for the stats count). The check drives the real app's hot endpoints (and the reminder collector) on 20,000 events and 100,000 registrations after ANALYZE, captures the statements they actually ran with their parameters, re-runs each under EXPLAIN and requires the plan to read the table it serves through the index meant for it, by name (partition indexes resolved to their parent), with no populated partition read whole.",
  fix: [
    'src/migrations/1779000000000-create-event-platform-schema.ts',
    'src/migrations/1780100000000-one-live-registration-per-user.ts',
  ],
  difficulty: 2,
  hints: [
    'Every hot query reads whole tables: look at what your migration leaves behind in the schema.',
    'EXPLAIN each hot query: which columns does it filter and sort by (events by status and start time, registrations by event and by user)?',
    "Your copy's migration drops the secondary indexes and unique keys the schema migration made; keep the ones a hot query needs, or create them back.",
    "The technique: composite B-tree indexes that match each hot query's WHERE and ORDER BY (events(status, start_datetime), registrations(event_id, status), registrations(user_id), …).",
  ],
  seam: "the migration set: APP_MIGRATIONS + katas/s-2-schema-without-indexes.flawed.ts ReviewedSchemaWithoutIndexes (the review's primary-keys-only schema)",
  flawsPutBack: {
    'registrations_event_status_idx dropped':
      'APP_MIGRATIONS + a migration dropping registrations_event_status_idx, which the unique key over live registrations (event_id, user_id, event_starts_at, <NULL unless cancelled>) can stand in for',
  },
  metric: { name: 'hot queries not planned on the index meant for them', unit: 'queries', better: 'lower' },
  measure,
  flawed: (queries) => queries >= Object.keys(HOT_PATHS).length - 1,
  remediated: (queries) => queries === 0,
  timeoutMs: 180_000,
});
