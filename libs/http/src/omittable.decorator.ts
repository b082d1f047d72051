import { ValidateIf } from 'class-validator';

/**
 * An optional property that may be left out but not sent as `null`: unlike `@IsOptional()`, a null still runs
 * the property's other rules and fails them. A null meant "no change" for some fields and "store null" for
 * others (a NOT NULL column: a 500); refusing it everywhere makes one rule: omit what you do not change.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}
