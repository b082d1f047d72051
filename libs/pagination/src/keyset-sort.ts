import type { KeysetValueType } from './keyset-value-type.js';

export type SortDirection = 'ASC' | 'DESC';

/**
 * One column of a keyset sort. `column` is an SQL expression as it would appear in a WHERE clause
 * (`m.created_at`, `"m"."createdAt"`); it is written into the query verbatim, so it must come from
 * code, never from a request. The column must be NOT NULL: SQL comparisons with NULL are never true,
 * so rows with a NULL key would silently fall out of every page after the first.
 */
export interface KeysetColumn {
  readonly column: string;
  readonly type: KeysetValueType;
  readonly direction: SortDirection;
}

/**
 * The full sort of a keyset-paginated list. The last column (or the combination of all columns)
 * must be unique, e.g. `created_at DESC, id DESC`; otherwise rows tied on the whole key across a
 * page boundary are skipped.
 */
export type KeysetSort = readonly [KeysetColumn, ...KeysetColumn[]];
