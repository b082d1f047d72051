import {
  SendMessageBatchCommand,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CORRELATION_ID_HEADER, toEnvelope, type OutboxRecord } from './outbox-message.js';
import type { PublishFailure, PublishReport, QueuePublisher } from './queue-publisher.js';
import { chunkSqsEntries, SQS_DEFAULT_MAX_BATCH_BYTES } from './sqs-batch-chunker.js';

/** Message attribute carrying the outbox id, for consumers that dedupe (SQS standard queues redeliver). */
export const IDEMPOTENCY_KEY_ATTRIBUTE = 'idempotency-key';

/** Header naming the FIFO message group; without it the topic is the group (one ordered stream per topic). */
export const MESSAGE_GROUP_HEADER = 'message-group-id';

export interface SqsPublisherOptions {
  /** Configure it with request timeouts: a hung call holds the relay's claim transaction open. */
  client: SQSClient;
  /** One queue URL, or one per topic. A URL ending in `.fifo` gets group and deduplication ids. */
  queueUrl: string | ((topic: string) => string);
  maxBatchBytes?: number;
}

/**
 * SendMessageBatch in requests of up to ten. SQS answers per entry, so a request can half-succeed: only the
 * entries in `Failed` (or missing from the answer) are reported, and the relay retries just those.
 */
export class SqsPublisher implements QueuePublisher {
  constructor(private readonly options: SqsPublisherOptions) {}

  async publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    const byQueue = new Map<string, SendMessageBatchRequestEntry[]>();
    for (const record of records) {
      const queueUrl = this.queueUrlFor(record.topic);
      const entries = byQueue.get(queueUrl);
      const entry = this.toEntry(record, queueUrl.endsWith('.fifo'));
      if (entries) entries.push(entry);
      else byQueue.set(queueUrl, [entry]);
    }
    const requests = [...byQueue].flatMap(([queueUrl, entries]) =>
      chunkSqsEntries(entries, this.options.maxBatchBytes ?? SQS_DEFAULT_MAX_BATCH_BYTES).map((chunk) =>
        this.send(queueUrl, chunk),
      ),
    );
    return { failed: (await Promise.all(requests)).flat() };
  }

  private async send(queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<PublishFailure[]> {
    try {
      const response = await this.options.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const succeeded = new Set((response.Successful ?? []).map((s) => s.Id));
      const reasons = new Map(
        (response.Failed ?? []).map((f) => [f.Id, `${f.Code ?? 'Failed'}: ${f.Message ?? 'no message'}`]),
      );
      return entries
        .filter((entry) => !succeeded.has(entry.Id))
        .map((entry) => ({
          id: entry.Id ?? '',
          error: reasons.get(entry.Id) ?? 'entry missing from SendMessageBatch response',
        }));
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return entries.map((entry) => ({ id: entry.Id ?? '', error: message }));
    }
  }

  /* The batch entry Id is the outbox id (digits are a valid entry id), which maps answers back to rows. */
  private toEntry(record: OutboxRecord, fifo: boolean): SendMessageBatchRequestEntry {
    const attributes: Record<string, MessageAttributeValue> = {
      [IDEMPOTENCY_KEY_ATTRIBUTE]: { DataType: 'String', StringValue: record.id },
      topic: { DataType: 'String', StringValue: record.topic },
    };
    const correlationId = record.headers[CORRELATION_ID_HEADER];
    if (correlationId) attributes[CORRELATION_ID_HEADER] = { DataType: 'String', StringValue: correlationId };
    const entry: SendMessageBatchRequestEntry = {
      Id: record.id,
      MessageBody: JSON.stringify(toEnvelope(record)),
      MessageAttributes: attributes,
    };
    if (fifo) {
      entry.MessageGroupId = record.headers[MESSAGE_GROUP_HEADER] ?? record.topic;
      entry.MessageDeduplicationId = record.id;
    }
    return entry;
  }

  private queueUrlFor(topic: string): string {
    return typeof this.options.queueUrl === 'function' ? this.options.queueUrl(topic) : this.options.queueUrl;
  }
}
