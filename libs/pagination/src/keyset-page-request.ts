import { decodeKeysetCursor } from './keyset-cursor.js';
import type { KeysetSort } from './keyset-sort.js';
import { resolvePageSize, type PageSizeOptions } from './page-size.js';

/** What one page request asks for: the list's sort, the client's cursor and page size, the policy. */
export interface KeysetPageRequest extends PageSizeOptions {
  readonly sort: KeysetSort;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface ResolvedKeysetPageRequest {
  readonly sort: KeysetSort;
  /** Sort-key values of the last row of the previous page; null on the first page. */
  readonly after: readonly string[] | null;
  readonly limit: number;
}

/** Validates a request; throws InvalidCursorError / InvalidPageSizeError (both 400s) on bad input. */
export function resolveKeysetPageRequest(request: KeysetPageRequest): ResolvedKeysetPageRequest {
  const limit = resolvePageSize(request.limit, request);
  const after = request.cursor ? decodeKeysetCursor(request.cursor, request.sort) : null;
  return { sort: request.sort, after, limit };
}
