/** Header every message carries so a consumer's logs join the request that caused it. */
export const CORRELATION_ID_HEADER = 'correlation-id';

export type OutboxHeaders = Record<string, string>;

/** What a caller writes inside its business transaction. */
export interface OutboxMessageInput {
  topic: string;
  payload: unknown;
  /** A `correlation-id` is generated when absent. */
  headers?: OutboxHeaders;
}

/** A claimed outbox row as the relay hands it to a `QueuePublisher`. */
export interface OutboxRecord {
  /** The outbox id as text (bigint): the idempotency key on every queue. */
  id: string;
  topic: string;
  payload: unknown;
  headers: OutboxHeaders;
  attempts: number;
  createdAt: Date;
}

/** What consumers receive: BullMQ job data, or the JSON body of an SQS message. */
export interface OutboxEnvelope<Payload = unknown> {
  outboxId: string;
  topic: string;
  payload: Payload;
  headers: OutboxHeaders;
}

export function toEnvelope(record: OutboxRecord): OutboxEnvelope {
  return { outboxId: record.id, topic: record.topic, payload: record.payload, headers: record.headers };
}
