import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { useTestContext } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import {
  CORRELATION_ID_HEADER,
  IDEMPOTENCY_KEY_ATTRIBUTE,
  OutboxRelay,
  SqsPublisher,
  writeOutboxMessages,
  type OutboxRecord,
} from '../src/index.js';

const ctx = useTestContext(outboxHarness);

let server: FauxqsServer;
let client: SQSClient;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  client = new SQSClient({
    endpoint: `http://127.0.0.1:${server.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  });
});

afterAll(async () => {
  client.destroy();
  await server.stop();
});

function record(
  id: number,
  payload: unknown = { n: id },
  headers: Record<string, string> = {},
): OutboxRecord {
  return {
    id: String(id),
    topic: 'registration.confirmed',
    payload,
    headers: { [CORRELATION_ID_HEADER]: `c-${id}`, ...headers },
    attempts: 0,
    createdAt: new Date(),
  };
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

test('sends 25 records in batches of at most ten, each with the outbox id as idempotency key', async () => {
  const { queueUrl } = server.createQueue('confirmations');
  const sizes: number[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand')
        sizes.push((args.input as { Entries: unknown[] }).Entries.length);
      return next(args);
    },
    { step: 'initialize', name: 'countBatchSizes' },
  );
  try {
    const publisher = new SqsPublisher({ client, queueUrl });
    const records = Array.from({ length: 25 }, (_, i) => record(i + 1));
    expect(await publisher.publish(records)).toEqual({ failed: [] });
    expect(sizes).toEqual([10, 10, 5]);
    const messages = await receiveAll(queueUrl);
    expect(messages).toHaveLength(25);
    const first = messages.find((m) => m.MessageAttributes?.[IDEMPOTENCY_KEY_ATTRIBUTE]?.StringValue === '1');
    expect(JSON.parse(first?.Body ?? '{}')).toEqual({
      outboxId: '1',
      topic: 'registration.confirmed',
      payload: { n: 1 },
      headers: { [CORRELATION_ID_HEADER]: 'c-1' },
    });
    expect(first?.MessageAttributes?.[CORRELATION_ID_HEADER]?.StringValue).toBe('c-1');
  } finally {
    client.middlewareStack.remove('countBatchSizes');
  }
});

test('a partial batch failure reports only the rejected entries', async () => {
  const { queueUrl } = server.createQueue('small-messages', { attributes: { MaximumMessageSize: '1024' } });
  const publisher = new SqsPublisher({ client, queueUrl });
  const report = await publisher.publish([record(1), record(2, { blob: 'x'.repeat(2_000) }), record(3)]);
  expect(report.failed).toEqual([{ id: '2', error: expect.stringContaining('InvalidParameterValue') }]);
  const received = (await receiveAll(queueUrl)).map(
    (m) => m.MessageAttributes?.[IDEMPOTENCY_KEY_ATTRIBUTE]?.StringValue,
  );
  expect(received.sort()).toEqual(['1', '3']);
});

test('on a FIFO queue the outbox id is the deduplication id, so a republish is dropped', async () => {
  const { queueUrl } = server.createQueue('confirmations.fifo', { attributes: { FifoQueue: 'true' } });
  const publisher = new SqsPublisher({ client, queueUrl });
  await publisher.publish([record(1, {}, { 'message-group-id': 'registration-9' }), record(2)]);
  expect(await publisher.publish([record(1), record(2), record(3)])).toEqual({ failed: [] });
  // Inspected rather than received: FIFO hands out one in-flight message per group at a time.
  const stored = server.inspectQueue('confirmations.fifo')?.messages.ready ?? [];
  expect(stored.map((m) => [m.messageDeduplicationId, m.messageGroupId])).toEqual([
    ['1', 'registration-9'],
    ['2', 'registration.confirmed'],
    ['3', 'registration.confirmed'],
  ]);
});

test('an unreachable queue fails every record, with the SDK error', async () => {
  const publisher = new SqsPublisher({
    client,
    queueUrl: `http://127.0.0.1:${server.port}/000000000000/missing`,
  });
  const report = await publisher.publish([record(1), record(2)]);
  expect(report.failed.map((f) => f.id)).toEqual(['1', '2']);
  expect(report.failed[0]?.error).toMatch(/QueueDoesNotExist|NonExistentQueue/);
});

test('through the relay, only the rejected row is scheduled for retry; the rest are marked published', async () => {
  const { queueUrl } = server.createQueue('relayed', { attributes: { MaximumMessageSize: '1024' } });
  const relay = new OutboxRelay({
    pool: ctx.pool,
    publisher: new SqsPublisher({ client, queueUrl }),
    listen: false,
  });
  const ids = await writeOutboxMessages(ctx.pool, [
    { topic: 'registration.confirmed', payload: { n: 1 } },
    { topic: 'registration.confirmed', payload: { blob: 'x'.repeat(2_000) } },
    { topic: 'registration.confirmed', payload: { n: 3 } },
  ]);
  expect(await relay.processBatch()).toEqual({ claimed: 3, published: 2, failed: 1 });
  const { rows } = await ctx.pool.query<{
    id: string;
    published: boolean;
    attempts: number;
    last_error: string | null;
  }>(
    'SELECT id::text AS id, published_at IS NOT NULL AS published, attempts, last_error FROM outbox ORDER BY id',
  );
  expect(rows).toEqual([
    { id: ids[0], published: true, attempts: 0, last_error: null },
    {
      id: ids[1],
      published: false,
      attempts: 1,
      last_error: expect.stringContaining('Message must be shorter than 1024 bytes'),
    },
    { id: ids[2], published: true, attempts: 0, last_error: null },
  ]);
});
