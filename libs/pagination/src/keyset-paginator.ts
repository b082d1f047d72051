import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { keysetKeyColumn } from './keyset-key-column.js';
import { buildKeysetPage, type KeysetPage } from './keyset-page.js';
import { resolveKeysetPageRequest, type KeysetPageRequest } from './keyset-page-request.js';
import { buildKeysetPredicate } from './keyset-predicate.js';
import { KEYSET_VALUE_CODECS } from './keyset-value-type.js';

/**
 * Runs one keyset page of a TypeORM query. The query builder keeps its own filters and joins; its
 * ORDER BY and LIMIT/OFFSET/skip/take are replaced by the keyset ones, on a clone, so `qb` itself is
 * left as it was. Throws InvalidCursorError / InvalidPageSizeError (400s) when the request is invalid.
 */
export async function paginateKeyset<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  request: KeysetPageRequest,
): Promise<KeysetPage<Entity>> {
  const { sort, scope, after, limit } = resolveKeysetPageRequest(request);
  const query = qb.clone();
  sort.forEach((column, index) =>
    query.addSelect(KEYSET_VALUE_CODECS[column.type].selectAsText(column.column), keysetKeyColumn(index)),
  );
  if (after) {
    const parameters: Record<string, string> = {};
    const predicate = buildKeysetPredicate(sort, after, (value, index) => {
      parameters[`keysetCursor${index}`] = value;
      return `:keysetCursor${index}`;
    });
    query.andWhere(predicate, parameters);
  }
  query.orderBy();
  sort.forEach((column) => query.addOrderBy(column.column, column.direction));
  // A leftover skip/offset/take from an OFFSET-paginated builder would silently shift or re-shape the page.
  query
    .skip(undefined)
    .take(undefined)
    .offset(undefined)
    .limit(limit + 1);

  const { entities, raw } = await query.getRawAndEntities<Record<string, unknown>>();
  // LIMIT counts SQL rows; with a to-many join one entity spans several rows, so pages would come out
  // short or split an entity across two pages.
  if (entities.length !== raw.length) {
    throw new TypeError(
      'paginateKeyset needs one row per entity: paginate the root entity and load to-many relations in a second query',
    );
  }
  return buildKeysetPage(entities, limit, scope, (_, index) =>
    sort.map((__, key) => raw[index]?.[keysetKeyColumn(key)]),
  );
}
