import fc from 'fast-check';
import type { JsonSchema } from './json-schema.js';

/** The classes of hostile value the generator plants in messages, parameters and bodies. */
export const HOSTILE_VALUE_KINDS = [
  'nul-byte',
  'lone-surrogate',
  'deep-nesting',
  'null',
  'huge-number',
  'huge-string',
  'wrong-type',
  'proto-key',
  'bad-uuid',
  'bad-date',
] as const;

export type HostileValueKind = (typeof HOSTILE_VALUE_KINDS)[number];

export interface HostileValue {
  readonly kind: HostileValueKind;
  readonly value: unknown;
}

/** Nesting depths past typical recursion guards (deeper ones overflow JSON.stringify on a test worker's stack). */
export const DEEP_NESTING_DEPTHS = [64, 512, 2_000] as const;

/** String lengths: large, and larger than the usual 1 MiB body limit. */
export const HUGE_STRING_LENGTHS = [10_000, 200_000, 1_100_000] as const;

/** Numbers past every column type and past exact doubles. */
export const HUGE_NUMBERS: readonly number[] = [
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -(2 ** 63),
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  0.1 + 0.2,
];

export const BAD_UUIDS: readonly string[] = [
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-0000000000000',
  '00000000000000000000000000000000',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000-0000-0000-0000-000000000000\n',
  "' OR '1'='1",
  '../../etc/passwd',
  '%00',
  'a'.repeat(2_000),
];

export const BAD_DATES: readonly string[] = [
  '',
  'yesterday',
  '2024-02-30T00:00:00.000Z',
  '2024-13-01T00:00:00.000Z',
  '2024-01-01T25:00:00.000Z',
  '2024-01-01T00:00:60Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '99999-01-01T00:00:00Z',
  '1e10',
  '2024-01-01T00:00:00+99:99',
  'Infinity',
];

/** A string with an unpaired UTF-16 surrogate: not encodable as UTF-8 without loss. */
export function hasLoneSurrogate(text: string): boolean {
  return /(?:[\uD800-\uDBFF](?![\uDC00-\uDFFF]))|(?:(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/.test(text);
}

/** `depth` levels of alternating arrays and objects around a string: `[{"a":[{"a":…"x"}]}]`. */
export function nestedValue(depth: number): unknown {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/**
 * An object with an own `__proto__` key, as JSON.parse produces from a request body, so that
 * JSON.stringify sends it on the wire (an object literal would set the prototype instead).
 */
export function protoKeyObject(
  payload: Record<string, unknown> = { isAdmin: true, role: 'organiser' },
): Record<string, unknown> {
  return JSON.parse(
    `{"__proto__":${JSON.stringify(payload)},"constructor":{"prototype":{"polluted":true}}}`,
  ) as Record<string, unknown>;
}

const wrongTypeValues: Record<string, readonly unknown[]> = {
  string: [0, 1.5, true, [], {}, ['a'], { value: 'a' }],
  number: ['1', 'one', '', true, [], {}, [1]],
  integer: ['1', 1.5, -0.5, 'one', true, [], {}],
  boolean: ['true', 0, 1, 'yes', [], {}],
  array: ['a', 1, true, {}, { 0: 'a', length: 1 }],
  object: ['a', 1, true, [], [{}]],
  any: ['a', 1, true, [], {}],
};

/** A value whose JSON type differs from the schema's (for an untyped schema, any type at all). */
export function wrongTypeArbitrary(schema: JsonSchema = {}): fc.Arbitrary<unknown> {
  const type = schema.type ?? (schema.properties ? 'object' : 'any');
  return fc.constantFrom(...(wrongTypeValues[type] ?? wrongTypeValues.any ?? []));
}

/** `insert` between two short random strings, so the hostile part is not always at an edge. */
function surrounded(...inserts: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...inserts), fc.string({ maxLength: 8 }))
    .map(([before, middle, after]) => `${before}${middle}${after}`);
}

const hostileValueArbitraries: Record<HostileValueKind, (schema: JsonSchema) => fc.Arbitrary<unknown>> = {
  'nul-byte': () => surrounded('\u0000', 'a\u0000b', '\u0000\u0000'),
  'lone-surrogate': () => surrounded('\uD800', '\uDFFF', '\uDBFF\uDBFF', 'x\uDC00'),
  'deep-nesting': () => fc.constantFrom(...DEEP_NESTING_DEPTHS).map(nestedValue),
  null: () => fc.constant(null),
  'huge-number': () => fc.constantFrom(...HUGE_NUMBERS),
  'huge-string': () =>
    fc
      .tuple(fc.constantFrom(...HUGE_STRING_LENGTHS), fc.constantFrom('a', 'é', '🙂'))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))),
  'wrong-type': (schema) => wrongTypeArbitrary(schema),
  'proto-key': () => fc.constant(null).map(() => protoKeyObject()),
  'bad-uuid': () => fc.constantFrom(...BAD_UUIDS),
  'bad-date': () => fc.constantFrom(...BAD_DATES),
};

/**
 * Hostile values of the given kinds (all by default), each tagged with its kind. `schema` is the
 * schema of the place the value goes, so that `wrong-type` is really a different type.
 */
export function hostileValueArbitrary(
  schema: JsonSchema = {},
  kinds: readonly HostileValueKind[] = HOSTILE_VALUE_KINDS,
): fc.Arbitrary<HostileValue> {
  return fc.oneof(
    ...kinds.map((kind) =>
      hostileValueArbitraries[kind](schema).map((value): HostileValue => ({ kind, value })),
    ),
  );
}
