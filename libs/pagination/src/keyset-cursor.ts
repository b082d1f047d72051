import { InvalidCursorError } from './invalid-cursor.error.js';
import type { KeysetSort } from './keyset-sort.js';
import { KEYSET_VALUE_CODECS } from './keyset-value-type.js';

/** Bumped when the payload changes shape, so cursors held by clients across a deploy fail loudly. */
export const KEYSET_CURSOR_VERSION = 1;

/** Bounds the work done on untrusted input before any of it is parsed. */
export const MAX_CURSOR_LENGTH = 1024;

const MAX_CURSOR_KEYS = 8;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface KeysetCursorPayload {
  v: number;
  k: string[];
}

/** The opaque cursor for the row whose sort-key values (as exact text) are `values`. */
export function encodeKeysetCursor(values: readonly string[]): string {
  const payload: KeysetCursorPayload = {
    v: KEYSET_CURSOR_VERSION,
    k: [...values],
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function parsePayload(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('is not a cursor issued by this API');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/**
 * The sort-key values carried by `cursor`. Checks encoding, shape and version; given the list's
 * sort, also checks the key count and each value's type, so a bad cursor is a 400 here rather than
 * a cast error from Postgres.
 */
export function decodeKeysetCursor(cursor: string, sort?: KeysetSort): string[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    throw new InvalidCursorError(`must be 1 to ${MAX_CURSOR_LENGTH} characters long`);
  }
  if (!BASE64URL.test(cursor)) {
    throw new InvalidCursorError('is not base64url-encoded');
  }
  const payload = parsePayload(cursor);
  if (!isPlainObject(payload) || !('v' in payload)) {
    throw new InvalidCursorError('is not a cursor issued by this API');
  }
  if (payload.v !== KEYSET_CURSOR_VERSION) {
    throw new InvalidCursorError(
      `has unsupported version ${JSON.stringify(payload.v)}; restart from the first page`,
    );
  }
  const { k: values } = payload;
  if (
    Object.keys(payload).length !== 2 ||
    !Array.isArray(values) ||
    values.length === 0 ||
    values.length > MAX_CURSOR_KEYS ||
    !values.every((value): value is string => typeof value === 'string')
  ) {
    throw new InvalidCursorError('is not a cursor issued by this API');
  }
  if (sort) checkTypes(values, sort);
  return values;
}
