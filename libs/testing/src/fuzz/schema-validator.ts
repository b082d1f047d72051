import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { JsonSchema, SchemaRoot } from './json-schema.js';

/** Lists what is wrong with `value` against `schema` (empty when it is valid). */
export type SchemaValidator = (schema: JsonSchema, value: unknown) => string[];

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on `.default`.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

function describe(error: ErrorObject): string {
  return `${error.instancePath || '<message>'} ${error.message ?? 'is invalid'}`;
}

/**
 * An independent JSON Schema validator (Ajv, with OpenAPI's `nullable` and the standard formats) whose
 * `$ref`s resolve in `root`: the judge of what the generator claims is valid, and of error bodies.
 */
export function createSchemaValidator(root: SchemaRoot = {}): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...root, $id: 'root' });
  const compiled = new Map<string, ValidateFunction>();
  return (schema, value) => {
    const text = JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"root#/');
    let validate = compiled.get(text);
    if (validate === undefined) {
      validate = ajv.compile(JSON.parse(text) as object);
      compiled.set(text, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  };
}
