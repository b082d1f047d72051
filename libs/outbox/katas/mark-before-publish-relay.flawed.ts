import type pg from 'pg';
import type { OutboxRecord, QueuePublisher } from '../src/index.js';

/**
 * Kata (flawed) — the naive outbox relay. It has an outbox table and claims rows safely (SKIP LOCKED),
 * but to be sure it never publishes a message twice it marks the batch published and commits *first*,
 * then publishes. That is the at-most-once relay people write when duplicates are what they fear: a relay
 * killed mid-batch (kill -9, node eviction) has already flagged rows it never handed to the queue, and no
 * later relay looks at them again. The remediated relay keeps the claim open until the publish returned.
 */
export class MarkBeforePublishRelay {
  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: QueuePublisher,
    private readonly batchSize: number,
  ) {}

  async processBatch(): Promise<number> {
    const { rows } = await this.pool.query<{
      id: string;
      topic: string;
      payload: unknown;
      headers: Record<string, string>;
      attempts: number;
      created_at: Date;
    }>(
      `UPDATE outbox SET published_at = now()
       WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, topic, payload, headers, attempts, created_at`,
      [this.batchSize],
    );
    const records: OutboxRecord[] = rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      payload: r.payload,
      headers: r.headers,
      attempts: r.attempts,
      createdAt: r.created_at,
    }));
    if (records.length > 0) await this.publisher.publish(records);
    return records.length;
  }
}
