export { OUTBOX_DROP_SQL, OUTBOX_NOTIFY_CHANNEL, OUTBOX_SCHEMA_SQL } from './outbox-schema.js';
export { installOutboxSchema } from './install-outbox-schema.js';
export { CreateOutboxTables1767225600000 } from './outbox-migration.js';
export { queryRows, type SqlExecutor } from './sql-executor.js';
export {
  CORRELATION_ID_HEADER,
  toEnvelope,
  type OutboxEnvelope,
  type OutboxHeaders,
  type OutboxMessageInput,
  type OutboxRecord,
} from './outbox-message.js';
export { writeOutboxMessage, writeOutboxMessages, type WriteOutboxOptions } from './outbox-writer.js';
export type { PublishFailure, PublishReport, QueuePublisher } from './queue-publisher.js';
export { DEFAULT_RETRY_BACKOFF, retryDelayMs, type RetryBackoffOptions } from './retry-backoff.js';
export { measureOutboxLag } from './outbox-relay-queries.js';
export {
  OutboxRelay,
  type BatchResult,
  type OutboxRelayMetrics,
  type OutboxRelayOptions,
} from './outbox-relay.js';
export { deleteCompletedOutboxRows, type OutboxCleanupOptions } from './outbox-cleanup.js';
export {
  BullMqPublisher,
  DEFAULT_OUTBOX_JOB_OPTIONS,
  outboxJobId,
  type BullMqPublisherOptions,
  type OutboxJobOptions,
} from './bullmq-publisher.js';
export {
  IDEMPOTENCY_KEY_ATTRIBUTE,
  MESSAGE_GROUP_HEADER,
  SqsPublisher,
  type SqsPublisherOptions,
} from './sqs-publisher.js';
export { markMessageProcessed, runOnce, type RunOnceResult } from './processed-message-guard.js';
export {
  MessageInProgressError,
  runOnceWithRedis,
  type RedisRunOnceOptions,
} from './redis-processed-message-guard.js';
export { OUTBOX_COMPLETION_DROP_SQL, OUTBOX_COMPLETION_SQL } from './outbox-completion-schema.js';
export { AddOutboxCompletion1780000000000 } from './outbox-completion-migration.js';
export {
  isOutboxCompleted,
  markOutboxCompleted,
  releaseUncompletedOutboxRows,
  type RedeliveryOptions,
} from './outbox-completion.js';
export { queueEventsFromNow } from './queue-events-from-now.js';
