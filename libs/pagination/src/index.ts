export { InvalidCursorError } from './invalid-cursor.error.js';
export { InvalidPageSizeError } from './invalid-page-size.error.js';
export { IsKeysetCursor } from './is-keyset-cursor.decorator.js';
export {
  decodeKeysetCursor,
  encodeKeysetCursor,
  KEYSET_CURSOR_VERSION,
  MAX_CURSOR_LENGTH,
  type KeysetCursorExpectations,
} from './keyset-cursor.js';
export { keysetFilterDigest, type KeysetCursorScope, type KeysetFilterValue } from './keyset-cursor-scope.js';
export type { KeysetKeyColumn } from './keyset-key-column.js';
export { buildKeysetPage, type KeysetPage, type PageInfo } from './keyset-page.js';
export {
  resolveKeysetPageRequest,
  type KeysetPageRequest,
  type ResolvedKeysetPageRequest,
} from './keyset-page-request.js';
export { paginateKeyset } from './keyset-paginator.js';
export type { KeysetColumn, KeysetSort, SortDirection } from './keyset-sort.js';
export { buildKeysetSql, type KeysetSqlFragment, type KeysetSqlOptions } from './keyset-sql.js';
export type { KeysetValueType } from './keyset-value-type.js';
export { PageInfoDto } from './page-info.dto.js';
export {
  createPageQueryDto,
  PageQueryDto,
  pageSizeFromQuery,
  type PageQueryOptions,
} from './page-query.dto.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, resolvePageSize, type PageSizeOptions } from './page-size.js';
