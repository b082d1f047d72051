import { useTestContext } from '@remedy/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import suite from '../findings/index.js';
import { createDataSource, runMigrationsExclusively } from '../src/index.js';
import { testPoolSettings } from './support/test-pool-settings.js';

const ctx = useTestContext(suite);

/** Slow enough that two processes starting together are both inside it at once without the lock. */
class CreateLockedThings1700000000000 implements MigrationInterface {
  name = 'CreateLockedThings1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(0.3)');
    await queryRunner.query('CREATE TABLE locked_things (id int PRIMARY KEY)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE locked_things');
  }
}

function migrationDataSource(name: string) {
  return createDataSource({
    ...testPoolSettings(ctx.databaseUrl, { name, max: 1 }),
    entities: [],
    migrations: [CreateLockedThings1700000000000],
  });
}

describe('runMigrationsExclusively', () => {
  test('two processes starting together apply each migration once, and neither fails', async () => {
    const sources = [migrationDataSource('starter-a'), migrationDataSource('starter-b')];
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const applied = await Promise.all(
        sources.map((source) => runMigrationsExclusively(source, ctx.databaseUrl)),
      );
      expect(applied.map((migrations) => migrations.length).sort()).toEqual([0, 1]);
      const { rows } = await ctx.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM migrations WHERE name = $1',
        ['CreateLockedThings1700000000000'],
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });
});
