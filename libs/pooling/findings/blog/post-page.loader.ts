import type { DataSource } from 'typeorm';
import { Post } from './post.entity.js';

/** A page of posts with their authors in one statement: the many-to-one join cannot multiply rows. */
export function loadPostPage(dataSource: DataSource, pageSize: number): Promise<Post[]> {
  return dataSource
    .getRepository(Post)
    .createQueryBuilder('post')
    .innerJoinAndSelect('post.author', 'author')
    .orderBy('post.id', 'ASC')
    .limit(pageSize)
    .getMany();
}
