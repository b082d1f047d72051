import fc from 'fast-check';
import { hostileMessageArbitrary } from './hostile-message.arbitrary.js';
import { hostileValueArbitrary } from './hostile-value.arbitrary.js';
import { resolveSchema, type JsonSchema, type SchemaRoot } from './json-schema.js';
import { malformedJsonTextArbitrary } from './malformed-json.js';
import type { FuzzOperation, OpenApiParameter } from './openapi-operations.js';
import { validValueArbitrary } from './valid-value.arbitrary.js';

/** One generated request, ready for fetch, with a description of every part for failure reports. */
export interface FuzzRequest {
  readonly operation: string;
  readonly method: string;
  /** Path and query string, already percent-encoded (deliberately broken where the case says so). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** What each part of the request is: `auth=token path.id=bad-uuid query.limit=valid body=missing-field(title)`. */
  readonly description: string;
}

export interface HttpRequestArbitraryOptions {
  /** Bearer token of a real user, so that secured operations get past authentication to validation. */
  readonly bearerToken?: string;
  /** Values known to exist per path parameter name (a seeded event's id), to reach past the 404s. */
  readonly knownPathValues?: Readonly<Record<string, readonly string[]>>;
}

/** A URL cannot carry the huge hostile strings a body can: Node refuses long request lines before any app code. */
const MAX_URL_PARAMETER_LENGTH = 2_000;

/** Broken percent-encoding, as a client or proxy might send it. */
const RAW_MALFORMED_PARAMETERS = ['%', '%zz', '%C0%AF', '%FF%FE', '%E0%80', '%00', '..%2F..%2F'];

/**
 * Percent-encodes `value` for a path segment or query value. Lone surrogates, which encodeURIComponent
 * refuses, are encoded as the (invalid) three UTF-8-style bytes a careless client would send.
 */
export function encodeUrlParameter(value: string): string {
  let encoded = '';
  for (const character of value) {
    const code = character.charCodeAt(0);
    if (character.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(character);
    }
  }
  return encoded;
}

function asParameterText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return text.slice(0, MAX_URL_PARAMETER_LENGTH);
}

interface EncodedPart {
  readonly encoded: string;
  readonly label: string;
}

function parameterArbitrary(
  parameter: OpenApiParameter,
  root: SchemaRoot,
  known: readonly string[],
): fc.Arbitrary<EncodedPart> {
  const schema: JsonSchema = resolveSchema(parameter.schema ?? { type: 'string' }, root);
  const choices: fc.WeightedArbitrary<EncodedPart>[] = [
    {
      weight: 2,
      arbitrary: validValueArbitrary(schema, root).map((value) => ({
        encoded: encodeUrlParameter(asParameterText(value)),
        label: 'valid',
      })),
    },
    {
      weight: 5,
      arbitrary: hostileValueArbitrary(schema).map(({ kind, value }) => ({
        encoded: encodeUrlParameter(asParameterText(value)),
        label: kind,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...RAW_MALFORMED_PARAMETERS)
        .map((encoded) => ({ encoded, label: 'bad-encoding' })),
    },
  ];
  if (known.length > 0) {
    choices.push({
      weight: 3,
      arbitrary: fc
        .constantFrom(...known)
        .map((value) => ({ encoded: encodeUrlParameter(value), label: 'known' })),
    });
  }
  return fc.oneof(...choices);
}

function queryArbitrary(
  parameters: readonly OpenApiParameter[],
  root: SchemaRoot,
): fc.Arbitrary<EncodedPart[]> {
  const perParameter = parameters.map((parameter) => {
    const name = encodeURIComponent(parameter.name);
    const one = parameterArbitrary(parameter, root, []);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant<EncodedPart | null>(null) },
      {
        weight: 6,
        arbitrary: one.map((part): EncodedPart => ({
          encoded: `${name}=${part.encoded}`,
          label: `query.${parameter.name}=${part.label}`,
        })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(one, one).map(([first, second]): EncodedPart => ({
          encoded: `${name}=${first.encoded}&${name}=${second.encoded}`,
          label: `query.${parameter.name}=repeated`,
        })),
      },
    );
  });
  const undeclared = fc.oneof(
    { weight: 8, arbitrary: fc.constant<EncodedPart | null>(null) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '__proto__[isAdmin]=true',
          '__proto__=x',
          'constructor[prototype][x]=1',
          'unexpected=1',
          'a[b][c]=d',
          '=',
          '&&',
        )
        .map((encoded): EncodedPart => ({ encoded, label: `query.undeclared(${encoded})` })),
    },
  );
  return fc
    .tuple(...perParameter, undeclared)
    .map((parts) => parts.filter((part): part is EncodedPart => part !== null));
}

interface BodyPart {
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly label: string;
}

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/xml',
];

function bodyArbitrary(operation: FuzzOperation, root: SchemaRoot): fc.Arbitrary<BodyPart> {
  const json = (value: unknown, label: string): BodyPart =>
    value === undefined
      ? { body: undefined, contentType: undefined, label: `body=${label}` }
      : { body: JSON.stringify(value), contentType: 'application/json', label: `body=${label}` };
  const malformed = malformedJsonTextArbitrary().map((text): BodyPart => ({
    body: text,
    contentType: 'application/json',
    label: `body=malformed-json(${JSON.stringify(text.slice(0, 20))})`,
  }));
  const schema = operation.bodySchema;
  // fetch, like most clients, cannot send a body with GET or HEAD.
  if (operation.method === 'GET' || operation.method === 'HEAD') {
    return fc.constant<BodyPart>({ body: undefined, contentType: undefined, label: 'body=none' });
  }
  if (schema === undefined) {
    return fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constant<BodyPart>({ body: undefined, contentType: undefined, label: 'body=none' }),
      },
      {
        weight: 1,
        arbitrary: hostileValueArbitrary().map(({ kind, value }) => json(value, `unexpected-${kind}`)),
      },
      { weight: 1, arbitrary: malformed },
    );
  }
  return fc.oneof(
    { weight: 2, arbitrary: validValueArbitrary(schema, root).map((value) => json(value, 'valid')) },
    {
      weight: 7,
      arbitrary: hostileMessageArbitrary(schema, root).map(({ kind, field, message }) =>
        json(message, `${kind}(${field === '' ? '<message>' : field})`),
      ),
    },
    { weight: 1, arbitrary: malformed },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validValueArbitrary(schema, root), fc.constantFrom(...WRONG_CONTENT_TYPES))
        .map(([value, contentType]): BodyPart => ({
          body: JSON.stringify(value),
          contentType,
          label: `body=content-type(${contentType})`,
        })),
    },
  );
}

type AuthPart = { readonly header: string | undefined; readonly label: string };

function authArbitrary(operation: FuzzOperation, bearerToken: string | undefined): fc.Arbitrary<AuthPart> {
  const token: AuthPart[] =
    bearerToken === undefined ? [] : [{ header: `Bearer ${bearerToken}`, label: 'auth=token' }];
  const none: AuthPart = { header: undefined, label: 'auth=none' };
  const garbage = fc.constantFrom<AuthPart>(
    { header: 'Bearer not.a.jwt', label: 'auth=garbage' },
    { header: 'Bearer ', label: 'auth=empty-bearer' },
    { header: 'Basic dXNlcjpwYXNz', label: 'auth=basic' },
    { header: `Bearer ${'a'.repeat(4_000)}`, label: 'auth=huge' },
    { header: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', label: 'auth=alg-none' },
  );
  if (token.length === 0)
    return fc.oneof({ weight: 4, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: garbage });
  return operation.secured
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...token) },
        { weight: 1, arbitrary: fc.constant(none) },
        { weight: 1, arbitrary: garbage },
      )
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant(none) },
        { weight: 1, arbitrary: fc.constantFrom(...token) },
      );
}

/**
 * Requests for one OpenAPI operation: its path parameters (valid, known, hostile or badly encoded), its
 * query parameters (left out, valid, hostile, repeated, plus the odd undeclared or prototype-polluting
 * key), its JSON body (valid, with one hostile mutation, malformed JSON, or the wrong content type) and
 * its authentication (mostly the real token on secured routes, so validation is what gets exercised).
 */
export function httpRequestArbitrary(
  operation: FuzzOperation,
  root: SchemaRoot,
  options: HttpRequestArbitraryOptions = {},
): fc.Arbitrary<FuzzRequest> {
  const pathParts = fc.tuple(
    ...operation.pathParameters.map((parameter) =>
      parameterArbitrary(parameter, root, options.knownPathValues?.[parameter.name] ?? []).map((part) => ({
        name: parameter.name,
        ...part,
      })),
    ),
  );
  return fc
    .tuple(
      pathParts,
      queryArbitrary(operation.queryParameters, root),
      bodyArbitrary(operation, root),
      authArbitrary(operation, options.bearerToken),
    )
    .map(([pathValues, query, body, auth]): FuzzRequest => {
      let path = operation.path;
      for (const part of pathValues)
        path = path.replace(`{${part.name}}`, part.encoded === '' ? '%20' : part.encoded);
      const queryString = query.map((part) => part.encoded).join('&');
      const headers: Record<string, string> = {};
      if (auth.header !== undefined) headers.authorization = auth.header;
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      return {
        operation: operation.name,
        method: operation.method,
        url: queryString === '' ? path : `${path}?${queryString}`,
        headers,
        body: body.body,
        description: [
          auth.label,
          ...pathValues.map((part) => `path.${part.name}=${part.label}`),
          ...query.map((part) => part.label),
          body.label,
        ].join(' '),
      };
    });
}
