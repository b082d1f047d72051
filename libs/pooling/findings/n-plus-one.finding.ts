import { defineFinding, type FindingContext, type Variant } from '@remedy/testing';
import { QueryCounter, createDataSource } from '@remedy/pooling';
import { loadPostPageOneAuthorAtATime } from '../katas/n-plus-one.flawed.js';
import { Author } from './blog/author.entity.js';
import { loadPostPage } from './blog/post-page.loader.js';
import { Post } from './blog/post.entity.js';
import { seedBlog } from './blog/seed-blog.js';

const PAGE_SIZE = 20;

export default defineFinding({
  id: 'lib:query-counter-n-plus-one',
  title: 'QueryCounter detects an N+1: one query per author on a page of posts',
  metric: {
    name: 'queries per page of 20 posts',
    unit: 'queries',
    better: 'lower',
  },
  async measure(variant: Variant, ctx: FindingContext) {
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
      const load = variant === 'flawed' ? loadPostPageOneAuthorAtATime : loadPostPage;
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
