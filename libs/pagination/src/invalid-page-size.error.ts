import { BadRequestException } from '@nestjs/common';

/** A requested page size outside 1..max. A 400, like InvalidCursorError, because it is client input. */
export class InvalidPageSizeError extends BadRequestException {
  constructor(readonly reason: string) {
    super(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: `limit: ${reason}`,
        details: [{ field: 'limit', message: reason }],
      },
      { description: `limit: ${reason}` },
    );
    this.name = 'InvalidPageSizeError';
  }
}
