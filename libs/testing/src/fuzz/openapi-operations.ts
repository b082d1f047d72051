import type { JsonSchema } from './json-schema.js';

/** The part of an OpenAPI 3.0 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  security?: readonly Readonly<Record<string, readonly string[]>>[];
  components?: { schemas?: Readonly<Record<string, JsonSchema>> };
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperationObject {
  operationId?: string;
  parameters?: readonly OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Readonly<Record<string, { schema?: JsonSchema }>> };
  security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/** One operation, flattened: what a request to it needs. */
export interface FuzzOperation {
  /** `GET /events/{id}`. */
  readonly name: string;
  readonly method: string;
  /** The path template, `/events/{id}`. */
  readonly path: string;
  readonly pathParameters: readonly OpenApiParameter[];
  readonly queryParameters: readonly OpenApiParameter[];
  /** The application/json body schema, if the operation takes one. */
  readonly bodySchema: JsonSchema | undefined;
  readonly bodyRequired: boolean;
  /** Whether a security requirement applies (its own, or the document's default). */
  readonly secured: boolean;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const operation = value as OpenApiOperationObject;
      const parameters = operation.parameters ?? [];
      const security = operation.security ?? document.security ?? [];
      operations.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path'),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query'),
        bodySchema: operation.requestBody?.content?.['application/json']?.schema,
        bodyRequired: operation.requestBody?.required === true,
        secured: security.some((requirement) => Object.keys(requirement).length > 0),
      });
    }
  }
  return operations;
}
