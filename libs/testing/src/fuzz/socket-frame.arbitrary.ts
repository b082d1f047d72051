import fc from 'fast-check';
import { hostileMessageArbitrary } from './hostile-message.arbitrary.js';
import type { JsonSchema, SchemaRoot } from './json-schema.js';
import { malformedJsonTextArbitrary } from './malformed-json.js';
import { validValueArbitrary } from './valid-value.arbitrary.js';

/** One generated WebSocket frame, with what it is for failure reports and for judging the server's answer. */
export interface FuzzFrame {
  /** `hostile:nul-byte(token) auth`, `valid readings`, `malformed-json`, `binary(12 bytes)`. */
  readonly description: string;
  /** Sent as a text frame when a string, as a binary frame otherwise. */
  readonly data: string | Uint8Array;
  /** The message schema the frame was made from, when it was made from one. */
  readonly messageName?: string;
  /** The parsed message the frame carries, when it is JSON text. */
  readonly message?: unknown;
}

/** JSON text for a generated message; a message with nothing left (the whole message removed) is an empty frame. */
function jsonText(message: unknown): string {
  return JSON.stringify(message) ?? '';
}

/**
 * Frames for a socket whose messages `schemas` describe (by name: `{ auth: …, readings: … }`): mostly a
 * message with one thing wrong (see hostileMessageArbitrary), and some valid messages, malformed JSON,
 * bare JSON values and binary frames. Send each as the first message and after a valid handshake.
 */
export function socketFrameArbitrary(
  schemas: Readonly<Record<string, JsonSchema>>,
  root: SchemaRoot = {},
): fc.Arbitrary<FuzzFrame> {
  const named = Object.entries(schemas);
  if (named.length === 0) throw new Error('socketFrameArbitrary needs at least one message schema');
  const schema = fc.constantFrom(...named);
  const hostile = schema.chain(([name, messageSchema]) =>
    hostileMessageArbitrary(messageSchema, root).map(({ kind, field, message }): FuzzFrame => ({
      description: `hostile:${kind}(${field || '<message>'}) ${name}`,
      data: jsonText(message),
      messageName: name,
      message,
    })),
  );
  const valid = schema.chain(([name, messageSchema]) =>
    validValueArbitrary(messageSchema, root).map((message): FuzzFrame => ({
      description: `valid ${name}`,
      data: jsonText(message),
      messageName: name,
      message,
    })),
  );
  const malformed = malformedJsonTextArbitrary().map((text): FuzzFrame => ({
    description: `malformed-json(${JSON.stringify(text.slice(0, 20))})`,
    data: text,
  }));
  const bare = fc
    .jsonValue({ maxDepth: 2 })
    .map((value): FuzzFrame => ({ description: 'bare-json-value', data: jsonText(value), message: value }));
  const binary = fc
    .uint8Array({ maxLength: 256 })
    .map((bytes): FuzzFrame => ({ description: `binary(${bytes.length} bytes)`, data: bytes }));
  return fc.oneof(
    { weight: 12, arbitrary: hostile },
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: bare },
    { weight: 1, arbitrary: binary },
  );
}
