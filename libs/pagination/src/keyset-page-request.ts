import { decodeKeysetCursor } from './keyset-cursor.js';
import type { KeysetCursorScope } from './keyset-cursor-scope.js';
import type { KeysetSort } from './keyset-sort.js';
import { resolvePageSize, type PageSizeOptions } from './page-size.js';

/**
 * What one page request asks for: the list's sort, the list and filters it is for, the client's cursor and
 * page size, the policy. `scope` is required so that no endpoint can accept a cursor another list or another
 * filter issued.
 */
export interface KeysetPageRequest extends PageSizeOptions {
  readonly sort: KeysetSort;
  readonly scope: KeysetCursorScope;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface ResolvedKeysetPageRequest {
  readonly sort: KeysetSort;
  readonly scope: KeysetCursorScope;
  /** Sort-key values of the last row of the previous page; null on the first page. */
  readonly after: readonly string[] | null;
  readonly limit: number;
}

/**
 * Validates a request; throws InvalidCursorError / InvalidPageSizeError (both 400s) on bad input, including a
 * cursor issued for another list or other filters.
 */
export function resolveKeysetPageRequest(request: KeysetPageRequest): ResolvedKeysetPageRequest {
  const limit = resolvePageSize(request.limit, request);
  const { sort, scope } = request;
  const after = request.cursor ? decodeKeysetCursor(request.cursor, { sort, scope }) : null;
  return { sort, scope, after, limit };
}
