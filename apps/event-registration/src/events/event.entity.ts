import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EventStatus } from './event-status.js';

@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organiser_id', type: 'uuid' })
  organiserId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text' })
  status!: EventStatus;

  @Column({ name: 'start_datetime', type: 'timestamptz' })
  startDatetime!: Date;

  @Column({ name: 'end_datetime', type: 'timestamptz' })
  endDatetime!: Date;

  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  @Column({ type: 'text', nullable: true })
  venue!: string | null;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ name: 'remaining_capacity', type: 'int' })
  remainingCapacity!: number;

  /** Optimistic lock: every update names the version it read and bumps it (409 when another write won). */
  @Column({ type: 'int', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
