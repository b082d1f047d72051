import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Author } from './author.entity.js';

@Entity({ name: 'posts' })
export class Post {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'author_id', type: 'integer' })
  authorId!: number;

  @ManyToOne(() => Author, { nullable: false })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<Author>;
}
