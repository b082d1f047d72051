import { expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { deletePublishedOutboxRows, writeOutboxMessages } from '../src/index.js';

const ctx = useTestContext(outboxHarness);

test('deletes only published rows older than the cut-off, in bounded batches', async () => {
  await writeOutboxMessages(
    ctx.pool,
    Array.from({ length: 250 }, (_, i) => ({ topic: 'cleanup', payload: { i } })),
  );
  // 200 published two days ago, 30 published just now, 20 never published (one of them old).
  await ctx.pool.query(
    `UPDATE outbox SET published_at = now() - interval '2 days' WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 200)`,
  );
  await ctx.pool.query(
    `UPDATE outbox SET published_at = now() WHERE published_at IS NULL AND id IN (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 30)`,
  );
  await ctx.pool.query(
    `UPDATE outbox SET created_at = now() - interval '3 days' WHERE id = (SELECT max(id) FROM outbox)`,
  );

  const statements: string[] = [];
  const counting = {
    query: (text: string, params?: unknown[]) => (statements.push(text), ctx.pool.query(text, params)),
  };
  expect(
    await deletePublishedOutboxRows(counting, { olderThanMs: 24 * 3_600_000, batchSize: 64, maxBatches: 2 }),
  ).toBe(128);
  expect(statements).toHaveLength(2);
  expect(await deletePublishedOutboxRows(ctx.pool, { olderThanMs: 24 * 3_600_000, batchSize: 64 })).toBe(72);

  const { rows } = await ctx.pool.query<{ published: number; unpublished: number }>(
    `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM outbox`,
  );
  expect(rows[0]).toEqual({ published: 30, unpublished: 20 });
});
