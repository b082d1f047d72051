import type { PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { invalidField, type FieldDetailStyle } from './field-error.js';

/**
 * `@Param('id', uuidParam('id'))`: a malformed ID is a 400 naming the field, never a Postgres cast error. A
 * valid ID is passed on in lower case: Postgres compares uuids case-insensitively, but cache keys, room names
 * and maps compare strings, so `/patients/ABC…/latest` would otherwise find the patient and miss its data.
 */
export function uuidParam(field: string, style?: FieldDetailStyle): PipeTransform<unknown, string> {
  return {
    transform(value: unknown): string {
      if (typeof value !== 'string' || !isUUID(value)) throw invalidField(field, 'must be a UUID', style);
      return value.toLowerCase();
    },
  };
}
