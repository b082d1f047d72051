import fc from 'fast-check';

/**
 * Texts that are not the JSON a message should be: broken syntax, numbers JSON.parse turns into
 * Infinity, duplicate keys, a byte-order mark, non-UTF-8 escapes, and a nesting so deep that a
 * recursive parser or walker overflows its stack.
 */
export const MALFORMED_JSON_TEXTS: readonly string[] = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"a" 1}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2',
  'nul',
  'undefined',
  'NaN',
  '{"n":1e400}',
  '{"n":-1e400}',
  '{"a":1,"a":2}',
  '\uFEFF{}',
  '"\\ud800"',
  '{"a":"\\u0000"}',
  '{"a":"\\x41"}',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":['.repeat(20_000)}1${']}'.repeat(20_000)}`,
];

export function malformedJsonTextArbitrary(): fc.Arbitrary<string> {
  return fc.constantFrom(...MALFORMED_JSON_TEXTS);
}
