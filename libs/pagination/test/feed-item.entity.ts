import { Column, Entity, PrimaryColumn } from 'typeorm';

/** TypeORM view of the `feed_items` table created by the findings schema. */
@Entity({ name: 'feed_items' })
export class FeedItemEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'text' })
  body!: string;
}
