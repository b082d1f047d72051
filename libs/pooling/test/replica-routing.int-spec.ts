import { useTestContext } from '@remedy/testing';
import type { DataSource } from 'typeorm';
import { Author } from '../findings/blog/author.entity.js';
import { Post } from '../findings/blog/post.entity.js';
import suite from '../findings/index.js';
import {
  createDataSource,
  dataSourcePools,
  PoolExhaustedError,
  QueryCounter,
  withPrimaryConnection,
  withReadConnection,
  type DataSourceSettings,
} from '../src/index.js';
import { testPoolSettings } from './support/test-pool-settings.js';

const ctx = useTestContext(suite);
const SERVING_APPLICATION = "SELECT current_setting('application_name') AS app";

function settings(overrides: Partial<DataSourceSettings> & { name: string }): DataSourceSettings {
  return {
    ...testPoolSettings(ctx.databaseUrl, overrides),
    entities: [Post, Author],
    ...overrides,
  };
}

describe('createDataSource', () => {
  describe('with a replica', () => {
    let dataSource: DataSource;

    // Both URLs point at the same server; application_name tells which pool served a statement.
    beforeAll(async () => {
      await ctx.pool.query(`INSERT INTO authors (name) VALUES ('seeded')`);
      dataSource = createDataSource(
        settings({
          name: 'routing',
          applicationName: 'routing-app',
          replicaUrl: ctx.databaseUrl,
        }),
      );
      await dataSource.initialize();
    });
    afterAll(() => dataSource.destroy());

    test('reads without a query runner go to the replica', async () => {
      const read = await dataSource
        .getRepository(Author)
        .createQueryBuilder('author')
        .select("current_setting('application_name')", 'app')
        .limit(1)
        .getRawOne<{ app: string }>();
      const found = await QueryCounter.count(() => dataSource.getRepository(Author).find());

      expect(read?.app).toBe('routing-app-replica');
      expect(found.statements.map((statement) => statement.pool)).toEqual(['routing-replica']);
    });

    test('writes go to the primary', async () => {
      await dataSource
        .createQueryBuilder()
        .insert()
        .into(Author)
        .values({ name: () => "current_setting('application_name')" })
        .execute();
      const saved = await QueryCounter.count(() => dataSource.getRepository(Author).save({ name: 'saved' }));
      const written = await withPrimaryConnection(dataSource, (manager) =>
        manager.findBy(Author, { name: 'routing-app' }),
      );

      expect(written).toHaveLength(1);
      expect(new Set(saved.statements.map((statement) => statement.pool))).toEqual(new Set(['routing']));
    });

    test('withReadConnection and withPrimaryConnection pin the side explicitly', async () => {
      const measured = await QueryCounter.count(async () => {
        const replica = await withReadConnection(dataSource, (manager) =>
          manager.query<{ app: string }[]>(SERVING_APPLICATION),
        );
        const primary = await withPrimaryConnection(dataSource, (manager) =>
          manager.query<{ app: string }[]>(SERVING_APPLICATION),
        );
        return [replica[0]?.app, primary[0]?.app];
      });
      expect(measured.result).toEqual(['routing-app-replica', 'routing-app']);
      expect(measured.statements.map((statement) => statement.pool)).toEqual(['routing-replica', 'routing']);
    });

    test('exposes both pools, named, for metrics', () => {
      expect(dataSourcePools(dataSource).map((pool) => pool.name)).toEqual(['routing', 'routing-replica']);
    });
  });

  describe('without a replica', () => {
    test('reads fall back to the primary', async () => {
      const dataSource = createDataSource(settings({ name: 'single', applicationName: 'single-app' }));
      await dataSource.initialize();
      try {
        const read = await withReadConnection(dataSource, (manager) =>
          manager.query<{ app: string }[]>(SERVING_APPLICATION),
        );
        expect(read[0]?.app).toBe('single-app');
        expect(dataSourcePools(dataSource).map((pool) => pool.name)).toEqual(['single']);
      } finally {
        await dataSource.destroy();
      }
    });

    test('the pool knobs apply to TypeORM connections too', async () => {
      const dataSource = createDataSource(
        settings({
          name: 'tight',
          max: 1,
          connectionTimeoutMillis: 200,
          statementTimeoutMs: 1_234,
          idleInTransactionSessionTimeoutMs: 4_321,
        }),
      );
      await dataSource.initialize();
      try {
        const [timeouts] = await dataSource.query<{ statement: string; idle: string }[]>(
          `SELECT current_setting('statement_timeout') AS statement,
                  current_setting('idle_in_transaction_session_timeout') AS idle`,
        );
        expect(timeouts).toEqual({ statement: '1234ms', idle: '4321ms' });

        const holder = dataSource.createQueryRunner();
        await holder.connect();
        try {
          const error: unknown = await dataSource.query('SELECT 1').catch((rejection: unknown) => rejection);
          expect(error).toBeInstanceOf(PoolExhaustedError);
          expect(error).toMatchObject({ pool: 'tight', max: 1, waitedMs: 200 });
        } finally {
          await holder.release();
        }
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
