import type { KeysetSort } from '@remedy/pagination';

/** Search results, best first, document id as tie-breaker. */
export const SEARCH_SORT: KeysetSort = [
  { column: 'm.rank', type: 'numeric', direction: 'DESC' },
  { column: 'm.document_id', type: 'uuid', direction: 'DESC' },
];

/** A page is capped: search is for finding, not for exporting the index. */
export const SEARCH_PAGES = { defaultLimit: 20, maxLimit: 50 } as const;

export const MAX_QUERY_LENGTH = 200;

/**
 * The most matches one search ranks (ADR 0094): past it, the most recently changed matches are ranked and older
 * ones are not returned, so a query's cost follows the page, not how many documents hold a common word.
 */
export const SEARCH_CANDIDATES = 1000;

/**
 * How many of the organisation's newest entries a search reads first, in change order: when they hold
 * SEARCH_CANDIDATES matches, those are the candidates; otherwise the words are rarer than one in five and the
 * candidates are read through the GIN index instead (ADR 0094).
 */
export const SEARCH_RECENT_WINDOW = 5 * SEARCH_CANDIDATES;

/**
 * How many of the organisation's title words closest to a query word a fuzzy search looks for (ADR 0098): a typo
 * is matched against the vocabulary, and only the titles holding these words are candidates.
 */
export const SEARCH_SIMILAR_WORDS = 5;
