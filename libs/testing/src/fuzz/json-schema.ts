/**
 * The part of JSON Schema that OpenAPI 3.0 documents (and @nestjs/swagger) use to describe request
 * bodies, parameters and socket messages. `nullable` is OpenAPI's; `$ref` points into the same document.
 */
export interface JsonSchema {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  format?: string;
  enum?: readonly unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
}

/** Where `#/…` references resolve: an OpenAPI document, or any object holding the schemas referenced. */
export type SchemaRoot = object;

/** `schema` with a `$ref` followed (repeatedly) into `root`; allOf of one member is unwrapped as well. */
export function resolveSchema(schema: JsonSchema, root: SchemaRoot): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops += 1) {
    if (hops > 32) throw new Error(`schema reference loop at ${current.$ref}`);
    current = followReference(current.$ref, root);
  }
  if (current.allOf?.length === 1 && current.properties === undefined) {
    return { ...resolveSchema(current.allOf[0] as JsonSchema, root), nullable: current.nullable };
  }
  return current;
}

function followReference(reference: string, root: SchemaRoot): JsonSchema {
  if (!reference.startsWith('#/')) throw new Error(`only local references are supported: ${reference}`);
  let node: unknown = root;
  for (const segment of reference.slice(2).split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (typeof node !== 'object' || node === null) throw new Error(`unresolved schema reference ${reference}`);
  return node;
}
