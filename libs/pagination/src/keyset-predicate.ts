import type { KeysetColumn, KeysetSort } from './keyset-sort.js';

/** Registers a cursor value as a query parameter and returns its placeholder (`$3`, `:keyset_0`). */
export type BindCursorValue = (value: string, index: number) => string;

function comparator(column: KeysetColumn): '<' | '>' {
  return column.direction === 'DESC' ? '<' : '>';
}

/**
 * The condition "row comes after the cursor row" in the given sort.
 *
 * When every column sorts the same way it is one row-value comparison, `(a, b) < ($1, $2)`, which
 * Postgres turns into a single index range bound on a composite index. Mixed directions have no
 * row-value equivalent, so it expands to `a < $1 OR (a = $1 AND b > $2)`; the extra `a <= $1` in
 * front repeats what the OR already implies, because the planner can use that plain bound as an
 * index condition while it cannot use the OR.
 */
export function buildKeysetPredicate(
  sort: KeysetSort,
  after: readonly string[],
  bind: BindCursorValue,
): string {
  if (after.length !== sort.length) {
    throw new TypeError(`cursor has ${after.length} values for a sort of ${sort.length} columns`);
  }
  const values = sort.map(
    (column, index) => `CAST(${bind(after[index] as string, index)} AS ${column.type})`,
  );
  const [first] = sort;
  if (sort.every((column) => column.direction === first.direction)) {
    if (sort.length === 1) return `${first.column} ${comparator(first)} ${values[0]}`;
    return `(${sort.map((column) => column.column).join(', ')}) ${comparator(first)} (${values.join(', ')})`;
  }
  const branches = sort.map((column, index) => {
    const ties = sort
      .slice(0, index)
      .map((earlier, earlierIndex) => `${earlier.column} = ${values[earlierIndex]}`);
    return `(${[...ties, `${column.column} ${comparator(column)} ${values[index]}`].join(' AND ')})`;
  });
  return `(${first.column} ${comparator(first)}= ${values[0]} AND (${branches.join(' OR ')}))`;
}
