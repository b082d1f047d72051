import type { OutboxRecord } from './outbox-message.js';

export interface PublishFailure {
  id: string;
  error: string;
}

/** Every record not listed in `failed` was accepted by the queue. */
export interface PublishReport {
  failed: PublishFailure[];
}

/**
 * The relay's port to a queue. An implementation must make a repeated publish of the same outbox id
 * harmless as far as the queue allows (job id, deduplication id, idempotency attribute): the relay
 * republishes whatever it could not mark published, which is what makes delivery at-least-once.
 * Throwing counts as every record failing.
 */
export interface QueuePublisher {
  publish(records: readonly OutboxRecord[]): Promise<PublishReport>;
}
