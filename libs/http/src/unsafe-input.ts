import type { ApiErrorDetail } from './api-error.js';

export interface UnsafeInputLimits {
  /** Deepest nesting of arrays and objects accepted. class-transformer and class-validator recurse per level. */
  maxDepth: number;
}

/** 32 levels is far beyond any DTO here and far below the ~1,000 that overflow class-transformer's stack. */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * The first part of a parsed input that no service should see, as a field detail, or undefined when there is
 * none: nesting deeper than `maxDepth`, a NUL character (Postgres text cannot store it: a 500 at INSERT), a
 * lone UTF-16 surrogate (validator's isEmail throws on it: a 500 in validation; it is not valid UTF-8 either),
 * or a `__proto__` key (copied onto a plain object it replaces the prototype). Keys are checked like values.
 * The walk is iterative, so a hostile depth cannot overflow this check's stack either.
 */
export function findUnsafeInput(
  input: unknown,
  limits: UnsafeInputLimits = { maxDepth: DEFAULT_MAX_DEPTH },
): ApiErrorDetail | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      const problem = unsafeText(value);
      if (problem !== undefined) return { field: path || 'body', message: problem };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) {
      return { field: path || 'body', message: `must not nest deeper than ${limits.maxDepth} levels` };
    }
    for (const key of Object.keys(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      const keyProblem = key === '__proto__' ? 'is not an accepted property name' : unsafeText(key);
      if (keyProblem !== undefined) return { field: printable(field), message: keyProblem };
      pending.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsafeText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** A field name holding the bad character itself is sent escaped (`\u0000`), so the answer stays valid. */
function printable(field: string): string {
  return unsafeText(field) === undefined ? field : JSON.stringify(field).slice(1, -1);
}
