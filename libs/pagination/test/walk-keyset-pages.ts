import { expect } from '@jest/globals';
import type { KeysetPage } from '../src/index.js';

/** Follows nextCursor from the first page to the last; refuses to loop forever on a broken cursor. */
export async function walkKeysetPages<Row>(
  fetchPage: (cursor: string | null) => Promise<KeysetPage<Row>>,
  maxPages = 1_000,
): Promise<{ rows: Row[]; pageSizes: number[] }> {
  const rows: Row[] = [];
  const pageSizes: number[] = [];
  let cursor: string | null = null;
  do {
    if (pageSizes.length === maxPages) throw new Error(`still paging after ${maxPages} pages`);
    const page: KeysetPage<Row> = await fetchPage(cursor);
    rows.push(...page.data);
    pageSizes.push(page.data.length);
    expect(page.pagination.hasMore).toBe(page.pagination.nextCursor !== null);
    cursor = page.pagination.nextCursor;
  } while (cursor !== null);
  return { rows, pageSizes };
}
