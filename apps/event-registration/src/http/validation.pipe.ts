import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ApiErrorBody, ApiErrorDetail } from './api-error.js';

/**
 * The app-wide ValidationPipe: converts query strings to the DTO's types, rejects unknown properties and
 * answers 400 with one detail per failed constraint, named by its dotted path (`answers.0.value`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const details = errors.flatMap((error) => flatten(error, ''));
      const body: ApiErrorBody = {
        statusCode: 400,
        error: 'Bad Request',
        message: details.map((detail) => `${detail.field}: ${detail.message}`).join('; '),
        details,
      };
      return new BadRequestException(body);
    },
  });
}

function flatten(error: ValidationError, parent: string): ApiErrorDetail[] {
  const field = parent === '' ? error.property : `${parent}.${error.property}`;
  const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}
