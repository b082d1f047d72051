import type { KeysetCursorScope } from './keyset-cursor-scope.js';
import { encodeKeysetCursor } from './keyset-cursor.js';

export interface PageInfo {
  /** Pass back as `cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
  readonly hasMore: boolean;
}

/** The response envelope of every keyset-paginated list. No total: counting would scan the whole list. */
export interface KeysetPage<T> {
  readonly data: T[];
  readonly pagination: PageInfo;
}

function asCursorValues(values: readonly unknown[]): string[] {
  return values.map((value, index) => {
    if (typeof value !== 'string') {
      throw new TypeError(
        `keyset sort column ${index + 1} is ${value === null ? 'NULL' : typeof value} in the last row of the page; ` +
          'keyset sort columns must be NOT NULL',
      );
    }
    return value;
  });
}

/**
 * Turns the `limit + 1` rows fetched into a page: the extra row only tells that another page exists,
 * which is how hasMore is known without a COUNT.
 */
export function buildKeysetPage<T>(
  rows: readonly T[],
  limit: number,
  scope: KeysetCursorScope,
  cursorValuesOf: (row: T, index: number) => readonly unknown[],
): KeysetPage<T> {
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor =
    hasMore && last !== undefined
      ? encodeKeysetCursor(asCursorValues(cursorValuesOf(last, data.length - 1)), scope)
      : null;
  return { data, pagination: { nextCursor, hasMore } };
}
