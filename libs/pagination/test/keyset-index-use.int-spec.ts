import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { migrateFeedItems } from '../findings/feed-items.schema.js';
import { buildKeysetSql, encodeKeysetCursor, type KeysetSort, type KeysetCursorScope } from '../src/index.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

const ctx = useTestContext({ name: 'pagination', migrate: migrateFeedItems });

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

async function planOf(sort: KeysetSort, cursorValues: string[]): Promise<PlanNode[]> {
  const keyset = buildKeysetSql({
    scope: SCOPE,
    sort,
    cursor: encodeKeysetCursor(cursorValues, SCOPE),
    limit: 20,
  });
  const { rows } = await ctx.pool.query<{
    'QUERY PLAN': Array<{ Plan: PlanNode }>;
  }>(
    `EXPLAIN (FORMAT JSON) SELECT id, body, ${keyset.select} FROM feed_items
      WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
    [...keyset.parameters],
  );
  return nodesOf(rows[0]?.['QUERY PLAN'][0]?.Plan as PlanNode);
}

describe('keyset pages use the composite index', () => {
  beforeAll(async () => {
    await ctx.pool.query(
      `INSERT INTO feed_items (created_at, author, body, score)
       SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', 'author', md5(g::text), g % 1000
         FROM generate_series(1, 50000) AS g`,
    );
    await ctx.pool.query('ANALYZE feed_items');
  });

  test('same directions: an index range scan on the row value, no sort', async () => {
    const nodes = await planOf(
      [
        { column: 'created_at', type: 'timestamptz', direction: 'DESC' },
        { column: 'id', type: 'bigint', direction: 'DESC' },
      ],
      ['2024-01-01T06:00:00.000000Z', '21600'],
    );
    const scan = nodes.find((node) => node['Node Type'] === 'Index Scan');
    expect(scan?.['Index Name']).toBe('feed_items_newest_idx');
    expect(scan?.['Index Cond']).toMatch(/^\(ROW\(created_at, id\) < ROW\(/);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
  });

  test('mixed directions: the matching index, bounded on its first column, no sort', async () => {
    const nodes = await planOf(
      [
        { column: 'score', type: 'integer', direction: 'DESC' },
        { column: 'id', type: 'bigint', direction: 'ASC' },
      ],
      ['500', '25000'],
    );
    const scan = nodes.find((node) => node['Node Type'] === 'Index Scan');
    expect(scan?.['Index Name']).toBe('feed_items_top_idx');
    expect(scan?.['Index Cond']).toMatch(/^\(score <= /);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
  });
});
