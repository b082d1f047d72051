import { registerDecorator, type ValidationOptions } from 'class-validator';
import { InvalidCursorError } from './invalid-cursor.error.js';
import { decodeKeysetCursor } from './keyset-cursor.js';
import type { KeysetSort } from './keyset-sort.js';

function cursorProblem(value: unknown, sort: KeysetSort | undefined): string | null {
  if (typeof value !== 'string') return 'must be a single string';
  try {
    decodeKeysetCursor(value, { sort });
    return null;
  } catch (error) {
    if (error instanceof InvalidCursorError) return error.reason;
    throw error;
  }
}

/**
 * class-validator rule for a cursor query parameter. Without `sort` it checks encoding, shape, checksum and
 * version; with the list's sort it also checks key count and types, so every bad cursor is reported
 * as a field-level validation error (`cursor: …`) before the handler runs.
 */
export function IsKeysetCursor(sort?: KeysetSort, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isKeysetCursor',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => cursorProblem(value, sort) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'cursor'}: ${cursorProblem(args?.value, sort) ?? 'is invalid'}`,
      },
    });
  };
}
