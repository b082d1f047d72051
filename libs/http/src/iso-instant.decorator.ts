import { ValidateBy, buildMessage, isISO8601, type ValidationOptions } from 'class-validator';

export interface IsoInstantBounds {
  /** Earliest instant accepted (inclusive). */
  notBefore?: () => Date;
  /** Latest instant accepted (inclusive); a function so "ten years from now" moves with the clock. */
  notAfter?: () => Date;
}

// A date and a time with an explicit offset: "2031-05-01" or "2031-05-01T09:00" name no instant (whose midnight?).
const FULL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A full ISO 8601 date-time with an offset (`2031-05-01T09:00:00+09:00`, `…Z`), a real calendar date, within
 * the bounds. The message says which of the three failed.
 */
export function IsIsoInstant(bounds: IsoInstantBounds = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) => isoInstantProblem(value, bounds) === undefined,
        defaultMessage: buildMessage(
          (eachPrefix, args) => `${eachPrefix}$property ${isoInstantProblem(args?.value, bounds) ?? ''}`,
          options,
        ),
      },
    },
    options,
  );
}

function isoInstantProblem(value: unknown, bounds: IsoInstantBounds): string | undefined {
  if (typeof value !== 'string' || !FULL_DATE_TIME.test(value) || !isISO8601(value, { strict: true })) {
    return 'must be an ISO 8601 date-time with an offset, e.g. 2031-05-01T09:00:00Z';
  }
  const instant = new Date(value).getTime();
  const notBefore = bounds.notBefore?.();
  if (notBefore !== undefined && instant < notBefore.getTime()) {
    return `must not be before ${notBefore.toISOString()}`;
  }
  const notAfter = bounds.notAfter?.();
  if (notAfter !== undefined && instant > notAfter.getTime())
    return `must not be after ${notAfter.toISOString()}`;
  return undefined;
}
