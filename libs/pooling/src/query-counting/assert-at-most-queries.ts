import type { CapturedStatement } from './query-counter.js';
import { TooManyQueriesError } from './too-many-queries.error.js';

/**
 * Throws TooManyQueriesError, listing the statements, when a QueryCounter measurement exceeds `max`.
 * Test-framework agnostic: a thrown error fails a jest test with the readable message.
 *
 *   assertAtMostQueries(await QueryCounter.count(() => loadPage()), 2, 'a page of 20 posts');
 */
export function assertAtMostQueries(
  measured: { statements: readonly CapturedStatement[] },
  max: number,
  label?: string,
): void {
  if (measured.statements.length > max) throw new TooManyQueriesError(max, measured.statements, label);
}
