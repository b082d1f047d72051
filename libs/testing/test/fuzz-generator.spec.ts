import { describe, expect, it } from '@jest/globals';
import {
  createSchemaValidator,
  DEFAULT_FUZZ_SEED,
  encodeUrlParameter,
  hasLoneSurrogate,
  HOSTILE_MESSAGE_KINDS,
  HOSTILE_VALUE_KINDS,
  hostileMessageArbitrary,
  hostileValueArbitrary,
  httpRequestArbitrary,
  listOperations,
  socketFrameArbitrary,
  validValueArbitrary,
  type HostileValueKind,
  type JsonSchema,
  type OpenApiDocument,
} from '@remedy/testing';
import fc from 'fast-check';

const document: OpenApiDocument = {
  paths: {
    '/things/{id}': {
      patch: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
        security: [{ bearer: [] }],
      },
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['title', 'category', 'startsAt', 'capacity', 'tags'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          category: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' },
          startsAt: { type: 'string', format: 'date-time' },
          owner: { type: 'string', format: 'uuid' },
          contact: { type: 'string', format: 'email' },
          capacity: { type: 'number', minimum: 1, maximum: 100_000 },
          seats: { type: 'integer', minimum: 0 },
          status: { type: 'string', enum: ['draft', 'published'] },
          venue: { type: 'string', nullable: true },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
          answer: { $ref: '#/components/schemas/Answer' },
        },
      },
      Answer: {
        type: 'object',
        required: ['value'],
        properties: { value: { type: 'integer', minimum: 1, maximum: 5 } },
      },
    },
  },
};
const thing: JsonSchema = { $ref: '#/components/schemas/Thing' };
const validate = createSchemaValidator(document);
const run = { seed: DEFAULT_FUZZ_SEED, numRuns: 300 };
// Hostile messages and requests carry megabyte strings and deep nesting: fewer cases still reach every class.
const heavyRun = { seed: DEFAULT_FUZZ_SEED, numRuns: 100 };

function depth(value: unknown): number {
  let levels = 0;
  let current = value;
  while (typeof current === 'object' && current !== null) {
    levels += 1;
    current = Array.isArray(current) ? current[0] : Object.values(current)[0];
  }
  return levels;
}

const belongsToKind: Record<HostileValueKind, (value: unknown) => boolean> = {
  'nul-byte': (value) => typeof value === 'string' && value.includes('\u0000'),
  'lone-surrogate': (value) => typeof value === 'string' && hasLoneSurrogate(value),
  'deep-nesting': (value) => depth(value) >= 64,
  null: (value) => value === null,
  'huge-number': (value) =>
    typeof value === 'number' && (!Number.isSafeInteger(value) || Math.abs(value) >= 2 ** 31),
  'huge-string': (value) => typeof value === 'string' && value.length >= 10_000,
  'wrong-type': (value) => typeof value !== 'string',
  'proto-key': (value) =>
    typeof value === 'object' &&
    value !== null &&
    Object.hasOwn(value, '__proto__') &&
    JSON.stringify(value).includes('"__proto__"'),
  'bad-uuid': (value) => validate({ type: 'string', format: 'uuid' }, value).length > 0,
  'bad-date': (value) => validate({ type: 'string', format: 'date-time' }, value).length > 0,
};

describe('fuzz generator', () => {
  it('generates values its schema accepts (checked by Ajv, an independent validator)', () => {
    fc.assert(
      fc.property(validValueArbitrary(thing, document), (value) => {
        expect(validate(thing, value)).toEqual([]);
      }),
      run,
    );
  });

  it('produces every hostile value class it claims, each really of its class', () => {
    const seen = new Set<HostileValueKind>();
    fc.assert(
      fc.property(hostileValueArbitrary({ type: 'string' }), ({ kind, value }) => {
        seen.add(kind);
        expect({ kind, isOfKind: belongsToKind[kind](value) }).toEqual({ kind, isOfKind: true });
      }),
      run,
    );
    expect([...seen].sort()).toEqual([...HOSTILE_VALUE_KINDS].sort());
  });

  it('mutates messages in every claimed way, and the schema-breaking mutations break the schema', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(hostileMessageArbitrary(thing, document), ({ kind, field, message }) => {
        seen.add(kind);
        const record = message as Record<string, unknown>;
        if (kind === 'missing-field') expect(Object.hasOwn(record, field)).toBe(false);
        if (kind === 'extra-field') expect(Object.hasOwn(record, field)).toBe(true);
        if (kind === 'wrong-type' || kind === 'missing-field' || (kind === 'null' && field !== 'venue')) {
          expect(validate(thing, message)).not.toEqual([]);
        }
        if (kind !== 'missing-field' && kind !== 'extra-field') {
          const planted = field === '' ? message : record[field];
          expect({ kind, isOfKind: kind === 'wrong-type' || belongsToKind[kind](planted) }).toEqual({
            kind,
            isOfKind: true,
          });
        }
      }),
      heavyRun,
    );
    expect([...seen].sort()).toEqual([...HOSTILE_MESSAGE_KINDS].sort());
  });

  it('makes socket frames of every kind; a JSON frame carries the message it claims', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(socketFrameArbitrary({ thing }, document), (frame) => {
        kinds.add(frame.description.split(/[ :(]/)[0]!);
        if (typeof frame.data === 'string' && frame.message !== undefined) {
          expect(JSON.parse(frame.data)).toEqual(JSON.parse(JSON.stringify(frame.message)));
        }
        if (frame.description.startsWith('valid ')) expect(validate(thing, frame.message)).toEqual([]);
        if (frame.data instanceof Uint8Array) expect(frame.description).toMatch(/^binary/);
      }),
      heavyRun,
    );
    expect([...kinds].sort()).toEqual(['bare-json-value', 'binary', 'hostile', 'malformed-json', 'valid']);
  });

  it('builds requests from an OpenAPI operation: token on secured routes, no GET body, hostile parameters encoded', () => {
    const operations = listOperations(document);
    expect(operations.map(({ name, secured }) => ({ name, secured }))).toEqual([
      { name: 'PATCH /things/{id}', secured: true },
      { name: 'GET /things/{id}', secured: false },
    ]);
    const [patch, get] = operations as [(typeof operations)[0], (typeof operations)[0]];
    const patches = fc.sample(httpRequestArbitrary(patch, document, { bearerToken: 'tkn' }), heavyRun);
    const withToken = patches.filter((request) => request.headers.authorization === 'Bearer tkn').length;
    expect(withToken).toBeGreaterThan(patches.length / 2);
    expect(patches.some((request) => request.headers.authorization === undefined)).toBe(true);
    expect(patches.every((request) => request.url.startsWith('/things/'))).toBe(true);
    expect(patches.some((request) => request.description.includes('body=missing-field'))).toBe(true);
    expect(patches.some((request) => request.description.includes('body=malformed-json'))).toBe(true);
    expect(patches.some((request) => request.description.includes('query.limit=repeated'))).toBe(true);
    const gets = fc.sample(
      httpRequestArbitrary(get, document, { knownPathValues: { id: ['known-id'] } }),
      heavyRun,
    );
    expect(gets.every((request) => request.body === undefined)).toBe(true);
    expect(gets.some((request) => request.url === '/things/known-id')).toBe(true);
    expect(gets.some((request) => request.description.includes('path.id=lone-surrogate'))).toBe(true);
  });

  it('percent-encodes lone surrogates as the invalid bytes a careless client sends', () => {
    expect(encodeUrlParameter('a\uD800b')).toBe('a%ED%A0%80b');
    expect(encodeUrlParameter('é/?')).toBe('%C3%A9%2F%3F');
  });
});
