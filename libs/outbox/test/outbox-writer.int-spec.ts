import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { useTestContext, waitUntil } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import {
  CORRELATION_ID_HEADER,
  CreateOutboxTables1767225600000,
  installOutboxSchema,
  OUTBOX_NOTIFY_CHANNEL,
  writeOutboxMessage,
  writeOutboxMessages,
} from '../src/index.js';

const ctx = useTestContext(outboxHarness);

interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
  headers: Record<string, string>;
}

async function outboxRows(): Promise<OutboxRow[]> {
  const { rows } = await ctx.pool.query<OutboxRow>(
    'SELECT id::text AS id, topic, payload, headers FROM outbox ORDER BY id',
  );
  return rows;
}

beforeEach(async () => {
  await ctx.pool.query('TRUNCATE outbox');
});

describe('writeOutboxMessage with a pg.PoolClient', () => {
  test('commits with the business transaction and carries payload, headers and a correlation id', async () => {
    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      const id = await writeOutboxMessage(client, {
        topic: 'registration.confirmed',
        payload: { registrationId: 7 },
        headers: { tenant: 'acme' },
      });
      await client.query('COMMIT');
      const [row] = await outboxRows();
      expect(row).toMatchObject({ id, topic: 'registration.confirmed', payload: { registrationId: 7 } });
      expect(row?.headers.tenant).toBe('acme');
      expect(row?.headers[CORRELATION_ID_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      client.release();
    }
  });

  test('keeps a caller-supplied correlation id and returns ids in input order', async () => {
    const ids = await writeOutboxMessages(ctx.pool, [
      { topic: 'a', payload: 1, headers: { [CORRELATION_ID_HEADER]: 'req-1' } },
      { topic: 'b', payload: 2 },
      { topic: 'c', payload: 3 },
    ]);
    const rows = await outboxRows();
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.topic)).toEqual(['a', 'b', 'c']);
    expect(rows[0]?.headers[CORRELATION_ID_HEADER]).toBe('req-1');
  });

  test('only a committed, notifying write reaches a listener', async () => {
    const listener = new pg.Client({ connectionString: ctx.databaseUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
    const client = await ctx.pool.connect();
    try {
      await writeOutboxMessage(client, { topic: 'silent', payload: {} }, { notify: false });
      await client.query('BEGIN');
      await writeOutboxMessage(client, { topic: 'discarded', payload: {} });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await writeOutboxMessages(client, [
        { topic: 'kept', payload: {} },
        { topic: 'kept', payload: {} },
      ]);
      await client.query('COMMIT');
      await waitUntil('the commit notification', () => heard.length > 0);
      // A sync round trip on the listening connection flushes anything else already sent to it.
      await listener.query('SELECT 1');
      expect(heard).toEqual([OUTBOX_NOTIFY_CHANNEL]);
      expect((await outboxRows()).map((r) => r.topic)).toEqual(['silent', 'kept', 'kept']);
    } finally {
      client.release();
      await listener.end();
    }
  });
});

describe('writeOutboxMessage with TypeORM', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: ctx.databaseUrl, synchronize: false, poolSize: 2 });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  test('an EntityManager transaction commits the message with it, and a throw rolls it back', async () => {
    const id = await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO kata_orders (reference) VALUES ('typeorm-1')`);
      return writeOutboxMessage(manager, { topic: 'order.placed', payload: { reference: 'typeorm-1' } });
    });
    await expect(
      dataSource.transaction(async (manager) => {
        await writeOutboxMessage(manager, { topic: 'order.placed', payload: { reference: 'typeorm-2' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect((await outboxRows()).map((r) => r.id)).toEqual([id]);
  });

  test('a QueryRunner transaction works the same way', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      const id = await writeOutboxMessage(runner, {
        topic: 'order.placed',
        payload: { via: 'query-runner' },
      });
      await runner.commitTransaction();
      expect(await outboxRows()).toEqual([expect.objectContaining({ id, payload: { via: 'query-runner' } })]);
    } finally {
      await runner.release();
    }
  });

  test('the migration class drops and recreates the tables (checked inside a rolled-back transaction)', async () => {
    const runner = dataSource.createQueryRunner();
    const migration = new CreateOutboxTables1767225600000();
    const tables = async (): Promise<string[]> =>
      (
        (await runner.query(
          `SELECT tablename FROM pg_tables WHERE tablename IN ('outbox', 'processed_messages') ORDER BY 1`,
        )) as { tablename: string }[]
      ).map((r) => r.tablename);
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect(await tables()).toEqual([]);
      await migration.up(runner);
      expect(await tables()).toEqual(['outbox', 'processed_messages']);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

test('installOutboxSchema is idempotent, from a pool or a URL', async () => {
  await installOutboxSchema(ctx.pool);
  await installOutboxSchema(ctx.databaseUrl);
  const { rows } = await ctx.pool.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE indexname = 'outbox_unpublished_idx'`,
  );
  expect(rows[0]?.indexdef).toContain('WHERE (published_at IS NULL)');
});
