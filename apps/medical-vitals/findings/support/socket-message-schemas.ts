import type { JsonSchema } from '@remedy/testing';
import { METRIC_RANGES } from '../../src/ingest/reading-validation.js';

/**
 * The messages a client may send on the two sockets, as the README documents them, in JSON Schema: what the
 * socket fuzz test generates hostile variants of, and the judge of whether a frame was valid. A reading the
 * schema refuses must never be stored.
 */
const ZONED_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

const metric = (name: keyof typeof METRIC_RANGES): JsonSchema => ({
  type: METRIC_RANGES[name].integer ? 'integer' : 'number',
  minimum: METRIC_RANGES[name].min,
  maximum: METRIC_RANGES[name].max,
  nullable: true,
});

const readingFields: Record<string, JsonSchema> = {
  seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  recordedAt: { type: 'string', pattern: ZONED_TIMESTAMP },
  heartRate: metric('heartRate'),
  spo2: metric('spo2'),
  systolic: metric('systolic'),
  diastolic: metric('diastolic'),
  temperature: metric('temperature'),
};

const readingItem: JsonSchema = {
  type: 'object',
  required: ['seq', 'recordedAt'],
  additionalProperties: false,
  properties: readingFields,
};

/** WebSocket /ingest, client → server. */
export const INGEST_MESSAGE_SCHEMAS: Record<'auth' | 'reading' | 'readings', JsonSchema> = {
  auth: {
    type: 'object',
    required: ['type', 'deviceId', 'token'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['auth'] },
      deviceId: { type: 'string', format: 'uuid' },
      token: { type: 'string', minLength: 1, maxLength: 200 },
    },
  },
  reading: {
    type: 'object',
    required: ['type', 'seq', 'recordedAt'],
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['reading'] }, ...readingFields },
  },
  readings: {
    type: 'object',
    required: ['type', 'items'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['readings'] },
      items: { type: 'array', minItems: 1, maxItems: 500, items: readingItem },
      traceparent: { type: 'string', maxLength: 55 },
    },
  },
};

/** One item of a `readings` message (or a whole `reading` message less its type), for judging items one by one. */
export const INGEST_READING_ITEM_SCHEMA = readingItem;

/** WebSocket /live, client → server. */
export const LIVE_MESSAGE_SCHEMAS: Record<'auth' | 'subscribe' | 'unsubscribe', JsonSchema> = {
  auth: {
    type: 'object',
    required: ['type', 'token'],
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['auth'] }, token: { type: 'string', minLength: 1 } },
  },
  subscribe: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['subscribe'] },
      wardId: { type: 'string', format: 'uuid' },
      patientId: { type: 'string', format: 'uuid' },
    },
  },
  unsubscribe: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['unsubscribe'] },
      wardId: { type: 'string', format: 'uuid' },
      patientId: { type: 'string', format: 'uuid' },
    },
  },
};
