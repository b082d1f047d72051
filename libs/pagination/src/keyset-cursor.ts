import { createHash } from 'node:crypto';
import { InvalidCursorError } from './invalid-cursor.error.js';
import { keysetFilterDigest, type KeysetCursorScope } from './keyset-cursor-scope.js';
import type { KeysetSort } from './keyset-sort.js';
import { KEYSET_VALUE_CODECS } from './keyset-value-type.js';

/**
 * Bumped when the payload changes shape, so cursors held by clients across a deploy fail loudly.
 * 2: the cursor names its list and filter digest and carries a checksum (1 carried only the keys).
 */
export const KEYSET_CURSOR_VERSION = 2;

/** Bounds the work done on untrusted input before any of it is parsed. */
export const MAX_CURSOR_LENGTH = 1024;

const MAX_CURSOR_KEYS = 8;
const MAX_ENDPOINT_LENGTH = 200;
const CHECKSUM_LENGTH = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const NOT_ISSUED = 'is not a cursor issued by this API';
const RESTART = 'restart from the first page';

/** v: version, s: the issuing list, f: digest of its filter, k: sort-key values as exact text, c: checksum. */
interface KeysetCursorPayload {
  v: number;
  s: string;
  f: string;
  k: string[];
  c: string;
}

/** The cursor's checksum covers every other field, in a fixed order. */
function checksum(payload: Omit<KeysetCursorPayload, 'c'>): string {
  return createHash('sha256')
    .update(JSON.stringify([payload.v, payload.s, payload.f, payload.k]))
    .digest('base64url')
    .slice(0, CHECKSUM_LENGTH);
}

/** The opaque cursor for the row whose sort-key values (as exact text) are `values`, in the list `scope`. */
export function encodeKeysetCursor(values: readonly string[], scope: KeysetCursorScope): string {
  const unsigned = {
    v: KEYSET_CURSOR_VERSION,
    s: scope.endpoint,
    f: keysetFilterDigest(scope.filter),
    k: [...values],
  };
  const payload: KeysetCursorPayload = { ...unsigned, c: checksum(unsigned) };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function parsePayload(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(NOT_ISSUED);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCurrentPayload(
  payload: Record<string, unknown>,
): payload is Record<string, unknown> & KeysetCursorPayload {
  const { s, f, k, c } = payload;
  return (
    Object.keys(payload).length === 5 &&
    typeof s === 'string' &&
    s.length > 0 &&
    s.length <= MAX_ENDPOINT_LENGTH &&
    typeof f === 'string' &&
    typeof c === 'string' &&
    Array.isArray(k) &&
    k.length > 0 &&
    k.length <= MAX_CURSOR_KEYS &&
    k.every((value) => typeof value === 'string')
  );
}

function checkTypes(values: readonly string[], sort: KeysetSort): void {
  if (values.length !== sort.length) {
    throw new InvalidCursorError(
      `does not match this list's sort order (expected ${sort.length} keys, got ${values.length})`,
    );
  }
  sort.forEach((column, index) => {
    if (!KEYSET_VALUE_CODECS[column.type].accepts(values[index] as string)) {
      throw new InvalidCursorError(`key ${index + 1} is not a valid ${column.type}`);
    }
  });
}

function checkScope(payload: KeysetCursorPayload, scope: KeysetCursorScope): void {
  if (payload.s !== scope.endpoint) {
    throw new InvalidCursorError(`was issued for another list; ${RESTART} of this one`);
  }
  if (payload.f !== keysetFilterDigest(scope.filter)) {
    throw new InvalidCursorError(
      `was issued for other filters; send the filters of the page it came from, or ${RESTART}`,
    );
  }
}

export interface KeysetCursorExpectations {
  /** The list's sort: checks the key count and each value's type. */
  readonly sort?: KeysetSort;
  /** The list and filter this request is for: a cursor issued for any other is refused. */
  readonly scope?: KeysetCursorScope;
}

/**
 * The sort-key values carried by `cursor`. Checks encoding, shape, version and checksum; given the list's
 * sort, the key count and each value's type (a 400 here rather than a cast error from Postgres); given the
 * scope, that the cursor was issued by this list under these filters.
 */
export function decodeKeysetCursor(cursor: string, expected: KeysetCursorExpectations = {}): string[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    throw new InvalidCursorError(`must be 1 to ${MAX_CURSOR_LENGTH} characters long`);
  }
  if (!BASE64URL.test(cursor)) {
    throw new InvalidCursorError('is not base64url-encoded');
  }
  const payload = parsePayload(cursor);
  if (!isPlainObject(payload) || !('v' in payload)) {
    throw new InvalidCursorError(NOT_ISSUED);
  }
  if (payload.v !== KEYSET_CURSOR_VERSION) {
    throw new InvalidCursorError(`has unsupported version ${JSON.stringify(payload.v)}; ${RESTART}`);
  }
  if (!isCurrentPayload(payload)) {
    throw new InvalidCursorError(NOT_ISSUED);
  }
  if (payload.c !== checksum(payload)) {
    throw new InvalidCursorError(`has been altered; ${RESTART}`);
  }
  if (expected.scope) checkScope(payload, expected.scope);
  if (expected.sort) checkTypes(payload.k, expected.sort);
  return payload.k;
}
