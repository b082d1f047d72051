import { isKeysetKeyColumn, keysetKeyColumn, type KeysetKeyColumn } from './keyset-key-column.js';
import { buildKeysetPage, type KeysetPage } from './keyset-page.js';
import { resolveKeysetPageRequest, type KeysetPageRequest } from './keyset-page-request.js';
import { buildKeysetPredicate } from './keyset-predicate.js';
import { KEYSET_VALUE_CODECS } from './keyset-value-type.js';

/**
 * The pieces of a keyset page query for node-postgres, to splice into your own SQL:
 *
 *   SELECT <your columns>, ${select} FROM … WHERE <your filters> AND ${where}
 *   ORDER BY ${orderBy} LIMIT ${limit}
 *
 * and run with `[...yourValues, ...parameters]`.
 */
export interface KeysetSqlFragment {
  /** Select-list items returning the sort keys as exact text (`keyset_0`, `keyset_1`, …). */
  readonly select: string;
  /** "After the cursor" condition; `TRUE` on the first page. */
  readonly where: string;
  readonly orderBy: string;
  /** Placeholder for the fetch size (page size + 1). */
  readonly limit: string;
  readonly parameters: ReadonlyArray<string | number>;
  /** The page envelope for the rows the query returned, with the key columns removed. */
  toPage<Row extends object>(rows: readonly Row[]): KeysetPage<Omit<Row, KeysetKeyColumn>>;
}

export interface KeysetSqlOptions {
  /** Number of `$n` parameters your own SQL uses before these; placeholders start at offset + 1. */
  readonly parameterOffset?: number;
}

function withoutKeyColumns<Row extends object>(row: Row): Omit<Row, KeysetKeyColumn> {
  return Object.fromEntries(Object.entries(row).filter(([name]) => !isKeysetKeyColumn(name))) as Omit<
    Row,
    KeysetKeyColumn
  >;
}

/** Throws InvalidCursorError / InvalidPageSizeError (400s) when the request is invalid. */
export function buildKeysetSql(
  request: KeysetPageRequest,
  options: KeysetSqlOptions = {},
): KeysetSqlFragment {
  const { sort, scope, after, limit } = resolveKeysetPageRequest(request);
  const parameterOffset = options.parameterOffset ?? 0;
  const parameters: Array<string | number> = [];
  const bind = (value: string | number): string => {
    parameters.push(value);
    return `$${parameterOffset + parameters.length}`;
  };
  const where = after ? buildKeysetPredicate(sort, after, bind) : 'TRUE';
  const limitPlaceholder = bind(limit + 1);
  return {
    select: sort
      .map(
        (column, index) =>
          `${KEYSET_VALUE_CODECS[column.type].selectAsText(column.column)} AS "${keysetKeyColumn(index)}"`,
      )
      .join(', '),
    where,
    orderBy: sort.map((column) => `${column.column} ${column.direction}`).join(', '),
    limit: limitPlaceholder,
    parameters,
    toPage<Row extends object>(rows: readonly Row[]) {
      const page = buildKeysetPage(rows, limit, scope, (row) =>
        sort.map((_, index) => (row as Record<string, unknown>)[keysetKeyColumn(index)]),
      );
      return {
        data: page.data.map(withoutKeyColumns),
        pagination: page.pagination,
      };
    },
  };
}
