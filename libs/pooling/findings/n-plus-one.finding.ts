import { defineFinding } from '@remedy/testing';
import { QueryCounter, createDataSource } from '@remedy/pooling';
import { loadPostPageAuthorsConcurrently, loadPostPageOneAuthorAtATime } from '../katas/n-plus-one.flawed.js';
import { Author } from './blog/author.entity.js';
import { loadPostPage } from './blog/post-page.loader.js';
import { Post } from './blog/post.entity.js';
import { seedBlog } from './blog/seed-blog.js';

const PAGE_SIZE = 20;

const LOADERS = {
  flawed: loadPostPageOneAuthorAtATime,
  remediated: loadPostPage,
  'concurrent lookups': loadPostPageAuthorsConcurrently,
};

export default defineFinding({
  id: 'lib:query-counter-n-plus-one',
  title: 'QueryCounter detects an N+1: one query per author on a page of posts',
  explanation:
    "Loading a page and then each related row with its own query costs one round trip per row: 21 queries for 20 posts. QueryCounter counts the statements of an async scope (AsyncLocalStorage, fed by the pool's query events) so every N+1 proof in the apps can assert a constant number of queries; here it tells the kata's 21 from the join's 1.",
  fix: [
    'src/query-counting/query-counter.ts',
    'src/query-counting/query-events.ts',
    'src/postgres/instrumented-client.ts',
  ],
  metric: {
    name: 'queries per page of 20 posts',
    unit: 'queries',
    better: 'lower',
  },
  seam: 'the page loader run inside one QueryCounter scope on the same DataSource ← katas/n-plus-one.flawed.ts',
  flawsPutBack: {
    'concurrent lookups':
      'the N+1 issued with Promise.all over a 4-connection pool, so lookups wait for hand-offs',
  },
  async measure(run, ctx) {
    await seedBlog(ctx.pool, PAGE_SIZE, 3);
    const dataSource = createDataSource({
      name: 'n-plus-one',
      connectionString: ctx.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 5_000,
      statementTimeoutMs: 10_000,
      idleInTransactionSessionTimeoutMs: 10_000,
      entities: [Post, Author],
    });
    await dataSource.initialize();
    try {
      const load = LOADERS[run];
      const { result: posts, count } = await QueryCounter.count(() => load(dataSource, PAGE_SIZE));
      const authorsLoaded = posts.filter((post) => post.author !== undefined).length;
      return {
        value: count,
        details: { posts: posts.length, 'authors loaded': authorsLoaded },
      };
    } finally {
      await dataSource.destroy();
    }
  },
  flawed: (queries) => queries > PAGE_SIZE,
  remediated: (queries) => queries <= 2,
});
