import { expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { deleteCompletedOutboxRows, writeOutboxMessages } from '../src/index.js';

const ctx = useTestContext(outboxHarness);

test('deletes only rows completed before the cut-off, in bounded batches; published-but-uncompleted rows stay', async () => {
  await writeOutboxMessages(
    ctx.pool,
    Array.from({ length: 250 }, (_, i) => ({ topic: 'cleanup', payload: { i } })),
  );
  // 200 completed two days ago, 10 published three days ago and never completed (the redelivery sweep's),
  // 30 completed just now, 10 never published.
  await ctx.pool.query(
    `UPDATE outbox SET published_at = now() - interval '2 days', completed_at = now() - interval '2 days'
      WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 200)`,
  );
  await ctx.pool.query(
    `UPDATE outbox SET published_at = now() - interval '3 days'
      WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 10)`,
  );
  await ctx.pool.query(
    `UPDATE outbox SET published_at = now(), completed_at = now()
      WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 30)`,
  );

  const statements: string[] = [];
  const counting = {
    query: (text: string, params?: unknown[]) => (statements.push(text), ctx.pool.query(text, params)),
  };
  expect(
    await deleteCompletedOutboxRows(counting, { olderThanMs: 24 * 3_600_000, batchSize: 64, maxBatches: 2 }),
  ).toBe(128);
  expect(statements).toHaveLength(2);
  expect(await deleteCompletedOutboxRows(ctx.pool, { olderThanMs: 24 * 3_600_000, batchSize: 64 })).toBe(72);

  const { rows } = await ctx.pool.query<{ completed: number; uncompleted: number; unpublished: number }>(
    `SELECT count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS completed,
            count(*) FILTER (WHERE published_at IS NOT NULL AND completed_at IS NULL)::int AS uncompleted,
            count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM outbox`,
  );
  expect(rows[0]).toEqual({ completed: 30, uncompleted: 10, unpublished: 10 });
});
