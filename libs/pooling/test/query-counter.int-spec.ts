import { useTestContext } from '@remedy/testing';
import Cursor from 'pg-cursor';
import type { DataSource } from 'typeorm';
import { Author } from '../findings/blog/author.entity.js';
import { loadPostPage } from '../findings/blog/post-page.loader.js';
import { Post } from '../findings/blog/post.entity.js';
import { seedBlog } from '../findings/blog/seed-blog.js';
import suite from '../findings/index.js';
import { loadPostPageOneAuthorAtATime } from '../katas/n-plus-one.flawed.js';
import {
  assertAtMostQueries,
  createDataSource,
  createPgPool,
  QueryCounter,
  TooManyQueriesError,
  type PgPool,
} from '../src/index.js';
import { testPoolSettings } from './support/test-pool-settings.js';

const ctx = useTestContext(suite);

describe('QueryCounter', () => {
  let pool: PgPool;
  let singleConnection: PgPool;
  let dataSource: DataSource;

  beforeAll(async () => {
    await seedBlog(ctx.pool, 20, 2);
    pool = createPgPool(testPoolSettings(ctx.databaseUrl, { name: 'counted' }));
    // One connection forces every statement of concurrent scopes through a hand-off between them.
    singleConnection = createPgPool(testPoolSettings(ctx.databaseUrl, { name: 'single', max: 1 }));
    dataSource = createDataSource({
      ...testPoolSettings(ctx.databaseUrl, { name: 'blog', max: 1 }),
      entities: [Post, Author],
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await Promise.all([pool.end(), singleConnection.end(), dataSource.destroy()]);
  });

  test('counts the rows that crossed the wire, whichever route the statement took', async () => {
    const repository = dataSource.getRepository(Author);
    const { rows, statements } = await QueryCounter.count(async () => {
      await pool.query('SELECT generate_series(1, 5)');
      await pool.query('SELECT 1; SELECT generate_series(1, 3)');
      await repository.createQueryBuilder('author').limit(4).getMany();
      const client = await pool.connect();
      try {
        const cursor = client.query(new Cursor('SELECT generate_series(1, 7)'));
        while ((await cursor.read(3)).length > 0);
        await cursor.close();
      } finally {
        client.release();
      }
    });
    expect(statements.map((statement) => statement.rows)).toEqual([5, 4, 4, 7]);
    expect(rows).toBe(20);
  });

  test('counts the statements of a scope, in order, on one line each', async () => {
    const { result, count, statements } = await QueryCounter.count(async () => {
      await pool.query('SELECT 1');
      await pool.query(
        `SELECT id
                          FROM authors
                         WHERE id = $1`,
        [1],
      );
      return 'done';
    });
    expect(result).toBe('done');
    expect(count).toBe(2);
    expect(statements.map((statement) => statement.sql)).toEqual([
      'SELECT 1',
      'SELECT id FROM authors WHERE id = $1',
    ]);
    expect(statements[0]).toMatchObject({ pool: 'counted', failed: false });
  });

  test('leaves transaction control out by default, and counts it when asked', async () => {
    const transaction = async (): Promise<void> => {
      await dataSource.transaction(async (manager) => {
        await manager.query('SELECT 1');
        await manager.transaction(async (nested) => {
          await nested.query('SELECT 2');
        });
      });
    };
    const data = await QueryCounter.count(transaction);
    const everything = await QueryCounter.count(transaction, {
      ignore: () => false,
    });

    expect(data.statements.map((statement) => statement.sql)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(everything.statements.map((statement) => statement.sql)).toEqual([
      'START TRANSACTION',
      'SELECT 1',
      'SAVEPOINT typeorm_1',
      'SELECT 2',
      'RELEASE SAVEPOINT typeorm_1',
      'COMMIT',
    ]);
  });

  test('nested scopes count their own statements and add them to the enclosing scope', async () => {
    const outer = await QueryCounter.count(async () => {
      await pool.query('SELECT 1');
      const inner = await QueryCounter.count(async () => {
        await pool.query('SELECT 2');
        await pool.query('SELECT 3');
      });
      await pool.query('SELECT 4');
      return inner;
    });
    expect(outer.result.count).toBe(2);
    expect(outer.count).toBe(4);
  });

  test('concurrent scopes never see each other’s statements, even across connection hand-offs', async () => {
    const run = (label: string, times: number) =>
      QueryCounter.count(async () => {
        for (let index = 0; index < times; index++) {
          await singleConnection.query(`SELECT '${label}' AS scope`);
          await dataSource.query(`SELECT '${label}' AS scope`);
        }
      });
    const results = await Promise.all([run('a', 5), run('b', 8), run('c', 3)]);

    expect(results.map((measured) => measured.count)).toEqual([10, 16, 6]);
    results.forEach((measured, index) => {
      const label = ['a', 'b', 'c'][index];
      expect(measured.statements.every((statement) => statement.sql === `SELECT '${label}' AS scope`)).toBe(
        true,
      );
    });
  });

  test('counts TypeORM statements: N+1 on the kata, one join on the remedy', async () => {
    const flawed = await QueryCounter.count(() => loadPostPageOneAuthorAtATime(dataSource, 20));
    const remediated = await QueryCounter.count(() => loadPostPage(dataSource, 20));

    expect(flawed.count).toBe(21);
    expect(remediated.count).toBe(1);
    expect(remediated.result.map((post) => post.author?.id)).toEqual(
      flawed.result.map((post) => post.authorId),
    );
    expect(() => assertAtMostQueries(remediated, 2)).not.toThrow();
  });

  test('assertAtMostQueries lists every statement when the budget is exceeded', async () => {
    const flawed = await QueryCounter.count(() => loadPostPageOneAuthorAtATime(dataSource, 3));
    const error = captureError(() => assertAtMostQueries(flawed, 2, 'a page of 3 posts'));

    expect(error).toBeInstanceOf(TooManyQueriesError);
    const lines = (error as TooManyQueriesError).message.split('\n');
    expect(lines[0]).toBe('expected at most 2 SQL statements for a page of 3 posts, but 4 ran:');
    expect(lines.slice(1)).toHaveLength(4);
    expect(lines[1]).toMatch(/^ {2}1\. SELECT .* FROM "posts" .*\[blog, \d+\.\d ms\]$/);
    expect(lines[2]).toMatch(/^ {2}2\. SELECT .* FROM "authors" .*WHERE/);
  });

  test('statements finishing after their scope closed are not counted', async () => {
    let late: Promise<unknown> | undefined;
    const measured = await QueryCounter.count(async () => {
      late = pool.query('SELECT pg_sleep(0.05)');
    });
    await late;
    expect(measured.count).toBe(0);
  });
});

function captureError(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}
