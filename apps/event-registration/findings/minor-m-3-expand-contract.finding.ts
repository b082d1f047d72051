import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { addTimezoneDestructively } from '../katas/minor-3-destructive-migration.flawed.js';
import type { QueryRunner } from 'typeorm';
import { parseConfig } from '../src/config.js';
import { buildDataSource } from '../src/database/data-source.factory.js';
import { AddEventTimezone1779100000000 } from '../src/migrations/1779100000000-add-event-timezone.js';
import { PREVIOUS_RELEASE_STATEMENTS } from './support/previous-release-queries.js';
import { seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { TEST_SECRETS } from './support/test-config.js';

type Flaw = 'rename in the expand step' | 'drop in the expand step' | 'NOT NULL without a default';

/** The release's migration, and each destructive cousin of it put back in its place. */
const MIGRATIONS: Record<'flawed' | 'remediated' | Flaw, (runner: QueryRunner) => Promise<void>> = {
  flawed: addTimezoneDestructively,
  remediated: (runner) => new AddEventTimezone1779100000000().up(runner),
  'rename in the expand step': async (runner) => {
    await new AddEventTimezone1779100000000().up(runner);
    await runner.query('ALTER TABLE events RENAME COLUMN venue TO location');
  },
  'drop in the expand step': async (runner) => {
    await new AddEventTimezone1779100000000().up(runner);
    await runner.query('ALTER TABLE events DROP COLUMN venue');
  },
  'NOT NULL without a default': async (runner) => {
    await new AddEventTimezone1779100000000().up(runner);
    await runner.query('ALTER TABLE events ALTER COLUMN timezone DROP DEFAULT');
  },
};

async function measure(run: keyof typeof MIGRATIONS, ctx: FindingContext): Promise<Measurement> {
  const config = parseConfig({ ...TEST_SECRETS, DATABASE_URL: ctx.databaseUrl });
  const dataSource = await buildDataSource(config.database, { role: 'maintenance', poolMax: 1 }).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    // Back to the previous release's schema, with its data in place.
    await new AddEventTimezone1779100000000().down(runner);
    const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    await seedEvents(ctx.pool, organiser.id, 25);
    // The new release's migration runs while the previous release keeps serving.
    await MIGRATIONS[run](runner);
  } finally {
    await runner.release();
    await dataSource.destroy();
  }

  const { rows } = await ctx.pool.query<{ organiserId: string; eventId: string }>(
    `SELECT organiser_id AS "organiserId", id AS "eventId" FROM events ORDER BY start_datetime LIMIT 1`,
  );
  const ids = rows[0]!;
  const failures: string[] = [];
  for (const statement of PREVIOUS_RELEASE_STATEMENTS) {
    try {
      await ctx.pool.query(statement.sql, statement.parameters(ids));
    } catch (error) {
      failures.push(`${statement.name}: ${(error as Error).message}`);
    }
  }
  return {
    value: failures.length,
    details: {
      'previous-release statements': PREVIOUS_RELEASE_STATEMENTS.length,
      ...(failures.length > 0 ? { failures: failures.join('; ') } : {}),
    },
  };
}

export default defineFinding({
  id: 'events:m-3',
  title: 'Migrations that break the release still running',
  explanation:
    "Blue-green deploys run the previous release against the new schema for a while. A migration that adds a NOT NULL column without a default or renames a column breaks every statement of that release that inserts or names it. Migrations here are expand/contract: an expand step only adds (a column with a constant default, which PostgreSQL 11+ adds without a rewrite), and the contract step (drop, rename) ships a release later, once nothing reads the old shape. The proof replays the previous release's statements after each kind of migration.",
  fix: [
    'src/migrations/1779100000000-add-event-timezone.ts',
    '../../docs/adr/0006-expand-contract-migrations.md',
  ],
  metric: {
    name: 'previous-release statements failing on the new schema',
    unit: 'statements',
    better: 'lower',
  },
  difficulty: 2,
  hints: [
    'During a blue-green deploy the previous release keeps running against the new schema. Which of its statements does your migration break?',
    "A release's migration may only add what the old code ignores; removing or renaming waits for a later release.",
    'A new NOT NULL column needs a default the old INSERTs get for free; keep the old column until nothing reads it.',
    'The technique: expand/contract (parallel change) migrations — expand now, contract a release later.',
  ],
  seam: "the migration run between the two releases (the previous release's schema and data, then one migration, then the previous release's statements on the pool): flawed runs katas/minor-3-destructive-migration.flawed.ts addTimezoneDestructively in place of AddEventTimezone1779100000000",
  flawsPutBack: {
    'rename in the expand step':
      'the real expand migration plus `RENAME COLUMN venue TO location` in the same release',
    'drop in the expand step': 'the real expand migration plus `DROP COLUMN venue` in the same release',
    'NOT NULL without a default':
      'the real expand migration with the new NOT NULL column left without its default',
  },
  measure: (run, ctx) => measure(run, ctx),
  flawed: (failures) => failures > 0,
  remediated: (failures) => failures === 0,
  timeoutMs: 60_000,
});
