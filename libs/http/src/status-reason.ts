import { HttpStatus } from '@nestjs/common';

/** The reason phrase of a status (`404` → `Not Found`), so `error` is the same whoever built the body. */
export function statusReason(statusCode: number): string {
  const name = HttpStatus[statusCode];
  return typeof name === 'string'
    ? name
        .toLowerCase()
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(' ')
    : 'Error';
}
