import type { DataSource } from 'typeorm';
import { Author } from '../findings/blog/author.entity.js';
import { Post } from '../findings/blog/post.entity.js';

/**
 * The flawed design: fetch the page, then fetch each post's author on its own, so a page of N posts costs
 * N + 1 round trips (each one a pool checkout, a network hop and a plan).
 */
export async function loadPostPageOneAuthorAtATime(
  dataSource: DataSource,
  pageSize: number,
): Promise<Post[]> {
  const posts = await dataSource.getRepository(Post).find({ order: { id: 'ASC' }, take: pageSize });
  const authors = dataSource.getRepository(Author);
  for (const post of posts) {
    post.author = (await authors.findOneBy({ id: post.authorId })) ?? undefined;
  }
  return posts;
}

/**
 * The same N+1 issued concurrently: the lookups overlap on the pool's connections, so a counter that only
 * followed one chain of awaits, or lost its scope when pg-pool hands a connection to a waiting caller, would
 * see 1 or 2 statements here.
 */
export async function loadPostPageAuthorsConcurrently(
  dataSource: DataSource,
  pageSize: number,
): Promise<Post[]> {
  const posts = await dataSource.getRepository(Post).find({ order: { id: 'ASC' }, take: pageSize });
  const authors = dataSource.getRepository(Author);
  await Promise.all(
    posts.map(async (post) => {
      post.author = (await authors.findOneBy({ id: post.authorId })) ?? undefined;
    }),
  );
  return posts;
}
