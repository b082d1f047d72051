import type { JsonSchema } from './json-schema.js';

/**
 * The documented error body of every service here: `{ statusCode, error, message, details }`, where
 * details are field-level (`{ field, message }` or `{ field, problems }`), possibly empty.
 */
export const API_ERROR_BODY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'details'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string', minLength: 1 },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
          {
            type: 'object',
            required: ['field', 'problems'],
            properties: { field: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } },
          },
        ],
      },
    },
  },
};
