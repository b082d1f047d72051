import fc from 'fast-check';
import { resolveSchema, type JsonSchema, type SchemaRoot } from './json-schema.js';

/** Dates a validator accepts everywhere: four-digit years, real calendar days. */
const DATE_RANGE = { min: new Date('1970-01-01T00:00:00.000Z'), max: new Date('2099-12-31T23:59:59.999Z') };
const MAX_GENERATED_LENGTH = 64;
const MAX_GENERATED_ITEMS = 4;

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(
    minLength,
    Math.min(schema.maxLength ?? MAX_GENERATED_LENGTH, MAX_GENERATED_LENGTH),
  );
  const fitsLength = (value: string) =>
    value.length >= minLength && value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ ...DATE_RANGE, noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ ...DATE_RANGE, noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'email':
      return fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), fc.stringMatching(/^[a-z]{1,12}$/))
        .map(([local, domain]) => `${local}@${domain}.example`)
        .filter(fitsLength);
    case undefined:
    default:
      break;
  }
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(fitsLength);
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  if (schema.type === 'integer') {
    return fc.integer({
      min: Math.ceil(schema.minimum ?? -1_000_000),
      max: Math.floor(schema.maximum ?? 1_000_000),
    });
  }
  // A DTO's `number` is very often a whole count; generate both, within the documented range.
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  return fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc
      .double({ min, max, noNaN: true, noDefaultInfinity: true })
      .map((value) => (Object.is(value, -0) ? 0 : value)),
  );
}

function objectArbitrary(schema: JsonSchema, root: SchemaRoot, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    model[name] = validValueArbitrary(property, root, depth + 1);
  }
  const requiredKeys = (schema.required ?? []).filter((name) => name in properties);
  return fc.record(model, { requiredKeys });
}

/**
 * Values that satisfy `schema` (types, enums, formats uuid/date-time/date/email, patterns, lengths,
 * ranges, required properties, nullable): what a well-behaved client sends. Optional properties are
 * sometimes left out; `$ref`s resolve in `root`.
 */
export function validValueArbitrary(
  schema: JsonSchema,
  root: SchemaRoot = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, root);
  const value = nonNullValueArbitrary(resolved, root, depth);
  return resolved.nullable === true ? fc.option(value, { nil: null }) : value;
}

function nonNullValueArbitrary(schema: JsonSchema, root: SchemaRoot, depth: number): fc.Arbitrary<unknown> {
  if (depth > 8) throw new Error('schema nests deeper than 8 levels; is it recursive?');
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined) {
    return fc.oneof(...alternatives.map((alternative) => validValueArbitrary(alternative, root, depth + 1)));
  }
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema);
    case 'number':
    case 'integer':
      return numberArbitrary(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValueArbitrary(schema.items ?? {}, root, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(
          schema.minItems ?? 0,
          Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS),
        ),
      });
    case 'object':
      return objectArbitrary(schema, root, depth);
    case undefined:
    default:
      return schema.properties === undefined
        ? fc.jsonValue({ maxDepth: 2 })
        : objectArbitrary(schema, root, depth);
  }
}
