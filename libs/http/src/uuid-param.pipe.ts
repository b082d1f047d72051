import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `@Param('id', uuidParam('id'))`: a malformed ID is a 400 naming the field, never a Postgres cast error. */
export function uuidParam(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({
        message: `${field}: must be a UUID`,
        details: [{ field, message: 'must be a UUID' }],
      }),
  });
}
