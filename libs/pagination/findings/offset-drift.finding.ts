import type pg from 'pg';
import { defineFinding, type Measurement } from '@remedy/testing';
import { listFeedByOffset, listFeedByOffsetCursor } from '../katas/offset-pagination.flawed.js';
import { FEED_NEWEST_FIRST, listFeedByKeyset } from './feed-items.query.js';

const ROWS_AT_START = 200;
const PAGE_SIZE = 10;
const INSERTED_PER_MUTATION = 3;
const DELETED_PER_MUTATION = 2;

/** One page request of a client walking the feed; `null` once the list is exhausted. */
type NextPage = () => Promise<Array<{ id: string }> | null>;

function offsetWalker(pool: pg.Pool): NextPage {
  let page = 0;
  let done = false;
  return async () => {
    if (done) return null;
    const { data } = await listFeedByOffset(pool, page, PAGE_SIZE);
    page += 1;
    done = data.length < PAGE_SIZE;
    return data;
  };
}

/** Walks any cursor-token listing: the keyset one, or one of the flaws put back into its place. */
function cursorWalker(
  fetchPage: (cursor: string | null) => Promise<{ data: Array<{ id: string }>; nextCursor: string | null }>,
): NextPage {
  let cursor: string | null = null;
  let done = false;
  return async () => {
    if (done) return null;
    const page = await fetchPage(cursor);
    cursor = page.nextCursor;
    done = cursor === null;
    return page.data;
  };
}

const WALKERS: Record<'flawed' | 'remediated' | PutBack, (pool: pg.Pool) => NextPage> = {
  flawed: offsetWalker,
  remediated: (pool) =>
    cursorWalker(async (cursor) => {
      const { data, pagination } = await listFeedByKeyset(pool, cursor, PAGE_SIZE);
      return { data, nextCursor: pagination.hasMore ? pagination.nextCursor : null };
    }),
  'offset in a cursor': (pool) => cursorWalker((cursor) => listFeedByOffsetCursor(pool, cursor, PAGE_SIZE)),
  'no tie-breaker': (pool) =>
    cursorWalker(async (cursor) => {
      const { data, pagination } = await listFeedByKeyset(pool, cursor, PAGE_SIZE, [FEED_NEWEST_FIRST[0]]);
      return { data, nextCursor: pagination.hasMore ? pagination.nextCursor : null };
    }),
};

type PutBack = 'offset in a cursor' | 'no tie-breaker';

async function seedFeed(pool: pg.Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>(
    // Three items per minute: a feed has ties in its sort key, and a cursor must not lose them.
    `INSERT INTO feed_items (created_at, author, body)
     SELECT timestamptz '2024-01-01 00:00:00+00' + (g / 3) * interval '1 minute', 'seed', 'item ' || g
       FROM generate_series(1, $1) AS g
     RETURNING id`,
    [ROWS_AT_START],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Between two page requests other users write: alternately a few new items at the head of the feed,
 * and deletions of the last items this client was shown, including the very row its cursor names
 * (a keyset cursor carries that row's values, so the row need not exist any more).
 */
async function writeBetweenPages(pool: pg.Pool, step: number, served: string[]): Promise<string[]> {
  if (step % 2 === 0) {
    await pool.query(
      `INSERT INTO feed_items (author, body) SELECT 'writer', 'new ' || g FROM generate_series(1, $1) AS g`,
      [INSERTED_PER_MUTATION],
    );
    return [];
  }
  const victims = served.slice(-DELETED_PER_MUTATION);
  await pool.query('DELETE FROM feed_items WHERE id = ANY($1::bigint[])', [victims]);
  return victims;
}

async function walkWhileOthersWrite(nextPage: NextPage, pool: pg.Pool): Promise<Measurement> {
  const startSet = await seedFeed(pool);
  const timesServed = new Map<string, number>();
  const served: string[] = [];
  const deleted = new Set<string>();
  let pages = 0;
  for (let data = await nextPage(); data !== null; data = await nextPage()) {
    pages += 1;
    for (const { id } of data) {
      timesServed.set(id, (timesServed.get(id) ?? 0) + 1);
      served.push(id);
    }
    for (const id of await writeBetweenPages(pool, pages, served)) deleted.add(id);
  }
  // A row deleted before the client reached it is rightly absent; every other starting row must be
  // served exactly once.
  const skipped = [...startSet].filter((id) => !timesServed.has(id) && !deleted.has(id)).length;
  const duplicated = [...timesServed.values()].reduce((sum, times) => sum + times - 1, 0);
  return {
    value: skipped + duplicated,
    details: {
      skipped,
      duplicated,
      pages,
      rowsAtStart: startSet.size,
      deletedDuringWalk: deleted.size,
    },
  };
}

export default defineFinding({
  id: 'lib:pagination-drift',
  title: 'OFFSET pagination skips and repeats rows while the list changes',
  explanation:
    'LIMIT/OFFSET addresses rows by position, so every insert at the head of a newest-first list shifts the next page and the client sees rows twice; every delete shifts it the other way and rows are never shown. It also reads and discards every skipped row, so deep pages get slower linearly. A keyset cursor addresses rows by their sort key, so concurrent writes cannot move the boundary and a deep page costs the same as the first.',
  fix: ['src/keyset-sql.ts', 'src/keyset-predicate.ts', 'src/keyset-cursor.ts', 'src/keyset-paginator.ts'],
  metric: { name: 'rows skipped or duplicated', unit: 'rows', better: 'lower' },
  seam: 'the page source a client walks page by page while others write (same feed, same writers) ← katas/offset-pagination.flawed.ts',
  flawsPutBack: {
    'offset in a cursor': 'an opaque cursor token that encodes a position (OFFSET in disguise)',
    'no tie-breaker': 'the keyset without its unique id column, on a feed with three items per timestamp',
  } satisfies Record<PutBack, string>,
  async measure(run, ctx) {
    ctx.log(
      `walking ${ROWS_AT_START} rows in pages of ${PAGE_SIZE} (${run}) while rows are inserted and deleted`,
    );
    return walkWhileOthersWrite(WALKERS[run](ctx.pool), ctx.pool);
  },
  flawed: (rows) => rows > 0,
  remediated: (rows) => rows === 0,
});
