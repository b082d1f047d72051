import { createHash } from 'node:crypto';

/** One value a list is filtered by; `undefined` means "not given", the same as leaving the key out. */
export type KeysetFilterValue =
  string | number | boolean | null | undefined | Date | readonly (string | number)[];

/**
 * What a cursor belongs to: the list that issued it and the filters it was issued under. Both are part of
 * every page request, so a cursor from `GET /events?category=a` is refused on `GET /events?category=b` and on
 * `GET /registrations/mine` instead of silently seeking into a list it does not describe.
 */
export interface KeysetCursorScope {
  /** A name for the list, unique within the API: the route is a good one (`GET /events`). */
  readonly endpoint: string;
  /**
   * Every request value that narrows the list: query filters, path parameters, the caller when the list is
   * per user. Pass the values as the client gave them (before defaults that move, such as "now"), `{}` for
   * an unfiltered list.
   */
  readonly filter: Readonly<Record<string, KeysetFilterValue>>;
}

/** Length of the filter digest carried in the cursor: 96 bits, too many for two filters to share one by chance. */
const FILTER_DIGEST_LENGTH = 16;

function canonical(value: KeysetFilterValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return [...(value as readonly (string | number)[])];
  return value;
}

/**
 * A digest of the filter, independent of key order and of keys whose value is undefined, so the same filter
 * always gives the same digest. The cursor carries the digest, not the values: it stays short and does not
 * echo what the client filtered by.
 */
export function keysetFilterDigest(filter: KeysetCursorScope['filter']): string {
  const entries = Object.keys(filter)
    .filter((key) => filter[key] !== undefined)
    .sort()
    .map((key) => [key, canonical(filter[key])]);
  return createHash('sha256')
    .update(JSON.stringify(entries))
    .digest('base64url')
    .slice(0, FILTER_DIGEST_LENGTH);
}
