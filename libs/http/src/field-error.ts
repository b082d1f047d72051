import { BadRequestException } from '@nestjs/common';

/**
 * How a 400 lists its fields: `per-constraint` as `{ field, message }`, `per-field` as `{ field, problems }`
 * (the shape medical-vitals clients read). The edge adapter and the pipes answer in the app's chosen style,
 * so a client reads one shape whichever layer refused its input.
 */
export type FieldDetailStyle = 'per-constraint' | 'per-field';

/** A 400 for one field with one problem, in `style`. */
export function invalidField(
  field: string,
  message: string,
  style: FieldDetailStyle = 'per-constraint',
): BadRequestException {
  return style === 'per-field'
    ? new BadRequestException({
        message: `invalid request: ${field}`,
        details: [{ field, problems: [message] }],
      })
    : new BadRequestException({ message: `${field}: ${message}`, details: [{ field, message }] });
}
