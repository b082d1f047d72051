import { InvalidPageSizeError } from './invalid-page-size.error.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Per-endpoint page-size policy; the same object configures the DTO and the paginator. */
export interface PageSizeOptions {
  readonly defaultLimit?: number;
  readonly maxLimit?: number;
}

export interface PageSizeLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}

/** The effective policy; a nonsensical one is a programming error, so it throws a TypeError at once. */
export function resolvePageSizeLimits(options: PageSizeOptions = {}): PageSizeLimits {
  const maxLimit = options.maxLimit ?? MAX_PAGE_SIZE;
  const defaultLimit = options.defaultLimit ?? Math.min(DEFAULT_PAGE_SIZE, maxLimit);
  if (!isPositiveInteger(maxLimit) || !isPositiveInteger(defaultLimit) || defaultLimit > maxLimit) {
    throw new TypeError(
      `page size policy needs integers 1 <= defaultLimit <= maxLimit, got ${defaultLimit} and ${maxLimit}`,
    );
  }
  return { defaultLimit, maxLimit };
}

/** The page size to fetch: the requested one if it is within policy, the default when none is given. */
export function resolvePageSize(limit: number | undefined, options: PageSizeOptions = {}): number {
  const { defaultLimit, maxLimit } = resolvePageSizeLimits(options);
  if (limit === undefined) return defaultLimit;
  if (!isPositiveInteger(limit) || limit > maxLimit) {
    throw new InvalidPageSizeError(`must be an integer from 1 to ${maxLimit}`);
  }
  return limit;
}
