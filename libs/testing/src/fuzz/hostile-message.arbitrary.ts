import fc from 'fast-check';
import {
  HOSTILE_VALUE_KINDS,
  hostileValueArbitrary,
  type HostileValueKind,
} from './hostile-value.arbitrary.js';
import { resolveSchema, type JsonSchema, type SchemaRoot } from './json-schema.js';
import { validValueArbitrary } from './valid-value.arbitrary.js';

/** What a hostile message does wrong: a hostile value somewhere, or a field missing or added. */
export const HOSTILE_MESSAGE_KINDS = [...HOSTILE_VALUE_KINDS, 'missing-field', 'extra-field'] as const;

export type HostileMessageKind = (typeof HOSTILE_MESSAGE_KINDS)[number];

export interface HostileMessage {
  readonly kind: HostileMessageKind;
  /** The property changed (`''`: the message itself was replaced). */
  readonly field: string;
  readonly message: unknown;
}

/** Names a schema does not declare; some collide with what servers treat specially. */
const EXTRA_FIELD_NAMES = ['unexpected', 'id', 'role', 'isAdmin', 'constructor', 'toString', '$where', ''];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withField(message: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = { ...message };
  // defineProperty, so that a field named __proto__ or constructor becomes an own key as JSON.parse makes it.
  Object.defineProperty(copy, field, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutField(message: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...message };
  delete copy[field];
  return copy;
}

function replacedField(
  schema: JsonSchema,
  root: SchemaRoot,
  kind: HostileValueKind,
): fc.Arbitrary<{ field: string; value: unknown }> {
  const fields = Object.entries(schema.properties ?? {});
  const targets: fc.Arbitrary<{ field: string; propertySchema: JsonSchema }> =
    fields.length === 0
      ? fc.constant({ field: '', propertySchema: schema })
      : fc.oneof(
          { weight: 1, arbitrary: fc.constant({ field: '', propertySchema: schema }) },
          {
            weight: 4,
            arbitrary: fc
              .constantFrom(...fields)
              .map(([field, property]) => ({ field, propertySchema: resolveSchema(property, root) })),
          },
        );
  return targets.chain(({ field, propertySchema }) =>
    hostileValueArbitrary(propertySchema, [kind]).map(({ value }) => ({ field, value })),
  );
}

function mutation(
  schema: JsonSchema,
  root: SchemaRoot,
  kind: HostileMessageKind,
): fc.Arbitrary<(message: unknown) => { field: string; message: unknown }> {
  const declared = Object.keys(schema.properties ?? {});
  if (kind === 'missing-field') {
    const candidates = schema.required?.length ? schema.required : declared;
    if (candidates.length === 0) return fc.constant(() => ({ field: '', message: undefined }));
    return fc.constantFrom(...candidates).map((field) => (message: unknown) => ({
      field,
      message: isRecord(message) ? withoutField(message, field) : message,
    }));
  }
  if (kind === 'extra-field') {
    return fc
      .tuple(
        fc.constantFrom(...EXTRA_FIELD_NAMES.filter((name) => !declared.includes(name))),
        fc.jsonValue({ maxDepth: 1 }),
      )
      .map(([field, value]) => (message: unknown) => ({
        field,
        message: isRecord(message) ? withField(message, field, value) : { [field]: value },
      }));
  }
  return replacedField(schema, root, kind).map(({ field, value }) => (message: unknown) => ({
    field,
    message: field !== '' && isRecord(message) ? withField(message, field, value) : value,
  }));
}

/**
 * Messages for `schema` with one thing wrong, tagged with what and where: a valid message (see
 * validValueArbitrary) with a hostile value in one field or in place of the whole message, a required
 * field removed, or an undeclared field added. Usable for request bodies and socket frames alike.
 */
export function hostileMessageArbitrary(
  schema: JsonSchema,
  root: SchemaRoot = {},
  kinds: readonly HostileMessageKind[] = HOSTILE_MESSAGE_KINDS,
): fc.Arbitrary<HostileMessage> {
  const resolved = resolveSchema(schema, root);
  return fc
    .constantFrom(...kinds)
    .chain((kind) =>
      fc
        .tuple(validValueArbitrary(resolved, root), mutation(resolved, root, kind))
        .map(([valid, mutate]): HostileMessage => ({ kind, ...mutate(valid) })),
    );
}
