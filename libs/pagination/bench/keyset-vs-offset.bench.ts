import type pg from 'pg';
import {
  buildKeysetSql,
  encodeKeysetCursor,
  type KeysetSort,
  type KeysetCursorScope,
} from '@remedy/pagination';
import { defineBench } from '@remedy/testing';
import { migrateFeedItems } from '../findings/feed-items.schema.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

const TABLE_ROWS = 1_000_000;
const DEEP_POSITION = 900_000;
const SHALLOW_POSITION = 20;
const PAGE_SIZE = 20;
const REQUESTS = 30;
const WARM_UP = 3;

// Three rows per second, so the walk crosses created_at ties and the id tie-breaker is exercised.
const SORT: KeysetSort = [
  { column: 'created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'id', type: 'bigint', direction: 'DESC' },
];
const COLUMNS = 'id, created_at, author, body';

async function seed(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  let started = performance.now();
  await pool.query(`
    CREATE TABLE bench_items (
      id bigint PRIMARY KEY, created_at timestamptz NOT NULL, author text NOT NULL, body text NOT NULL
    )`);
  await pool.query(
    `INSERT INTO bench_items (id, created_at, author, body)
     SELECT g, timestamptz '2024-01-01 00:00:00+00' + (g / 3) * interval '1 second', 'author ' || (g % 1000), md5(g::text)
       FROM generate_series(1, $1) AS g`,
    [TABLE_ROWS],
  );
  log(
    `seeded ${TABLE_ROWS.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  await pool.query('CREATE INDEX bench_items_newest_idx ON bench_items (created_at DESC, id DESC)');
  await pool.query('VACUUM ANALYZE bench_items');
  log(`index + VACUUM ANALYZE in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The cursor a client holds after reading `position` rows: built from the row at that position. */
async function cursorAfter(pool: pg.Pool, position: number): Promise<string> {
  const { select, orderBy } = buildKeysetSql({ scope: SCOPE, sort: SORT });
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT ${select} FROM bench_items ORDER BY ${orderBy} OFFSET $1 LIMIT 1`,
    [position - 1],
  );
  const row = rows[0];
  if (!row) throw new Error(`no row at position ${position}`);
  return encodeKeysetCursor([row['keyset_0'] as string, row['keyset_1'] as string], SCOPE);
}

async function offsetPage(pool: pg.Pool, position: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT ${COLUMNS} FROM bench_items ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
    [PAGE_SIZE, position],
  );
  return rows.map((row) => row.id);
}

async function keysetPage(pool: pg.Pool, cursor: string): Promise<string[]> {
  const keyset = buildKeysetSql({ scope: SCOPE, sort: SORT, cursor, limit: PAGE_SIZE });
  const { rows } = await pool.query<{ id: string }>(
    `SELECT ${COLUMNS}, ${keyset.select} FROM bench_items WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
    [...keyset.parameters],
  );
  return keyset.toPage(rows).data.map((row) => row.id);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

async function latencies(
  fetchPage: () => Promise<string[]>,
): Promise<{ p50: number; p95: number; ids: string[] }> {
  for (let i = 0; i < WARM_UP; i += 1) await fetchPage();
  const times: number[] = [];
  let ids: string[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    ids = await fetchPage();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), ids };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

async function compareAt(pool: pg.Pool, position: number, log: (line: string) => void) {
  const cursor = await cursorAfter(pool, position);
  const offset = await latencies(() => offsetPage(pool, position));
  const keyset = await latencies(() => keysetPage(pool, cursor));
  if (offset.ids.join() !== keyset.ids.join())
    throw new Error(`OFFSET and keyset pages differ at position ${position}`);
  log(
    `position ${position.toLocaleString('en')}: OFFSET p50 ${round(offset.p50)} ms, keyset p50 ${round(keyset.p50)} ms`,
  );
  return { offset, keyset };
}

export default defineBench({
  name: 'pagination: keyset vs OFFSET, 1M rows',
  harness: { name: 'pagination', migrate: migrateFeedItems },
  async run(ctx) {
    await seed(ctx.pool, ctx.log);
    ctx.log(`${REQUESTS} requests of ${PAGE_SIZE} rows per variant and position`);
    const deep = await compareAt(ctx.pool, DEEP_POSITION, ctx.log);
    const shallow = await compareAt(ctx.pool, SHALLOW_POSITION, ctx.log);
    return {
      rows: TABLE_ROWS,
      pageSize: PAGE_SIZE,
      requests: REQUESTS,
      deepPosition: DEEP_POSITION,
      deepOffsetP50Ms: round(deep.offset.p50),
      deepOffsetP95Ms: round(deep.offset.p95),
      deepKeysetP50Ms: round(deep.keyset.p50),
      deepKeysetP95Ms: round(deep.keyset.p95),
      deepP50Ratio: round(deep.offset.p50 / deep.keyset.p50),
      shallowPosition: SHALLOW_POSITION,
      shallowOffsetP50Ms: round(shallow.offset.p50),
      shallowKeysetP50Ms: round(shallow.keyset.p50),
      shallowP50Ratio: round(shallow.offset.p50 / shallow.keyset.p50),
    };
  },
});
