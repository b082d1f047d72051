import { BadRequestException } from '@nestjs/common';

/**
 * A cursor that this list did not issue (tampered, truncated, from another list, or from an older
 * format). It is a 400 wherever it is thrown, DTO or service, with the field named in the message,
 * because a bad cursor is always the client's input and never a server fault.
 */
export class InvalidCursorError extends BadRequestException {
  constructor(readonly reason: string) {
    super(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: `cursor: ${reason}`,
        details: [{ field: 'cursor', message: reason }],
      },
      { description: `cursor: ${reason}` },
    );
    this.name = 'InvalidCursorError';
  }
}
