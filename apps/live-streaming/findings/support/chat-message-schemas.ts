import type { JsonSchema } from '@remedy/testing';

/**
 * The messages a client may send on WebSocket /chat, as the README documents them, in JSON Schema: what the
 * socket fuzz test generates hostile variants of.
 */
export const CHAT_MESSAGE_SCHEMAS: Record<'auth' | 'join' | 'leave' | 'send' | 'heartbeat', JsonSchema> = {
  auth: {
    type: 'object',
    required: ['type', 'token'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['auth'] },
      token: { type: 'string', minLength: 1, maxLength: 4096 },
    },
  },
  join: {
    type: 'object',
    required: ['type', 'streamId'],
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['join'] }, streamId: { type: 'string', format: 'uuid' } },
  },
  leave: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['leave'] } },
  },
  send: {
    type: 'object',
    required: ['type', 'text'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['send'] },
      text: { type: 'string', minLength: 1, maxLength: 500 },
    },
  },
  heartbeat: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['heartbeat'] } },
  },
};
