import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ApiErrorBody, ApiErrorDetail, ApiFieldProblems } from './api-error.js';
import type { FieldDetailStyle } from './field-error.js';

export interface ValidationPipeOptions {
  /**
   * `per-constraint` (default): one `{ field, message }` per failed constraint, each also in the message.
   * `per-field`: one `{ field, problems }` per field and `invalid request: <fields>` as the message, for
   * clients that already read that shape.
   */
  details?: FieldDetailStyle;
}

/**
 * The app-wide ValidationPipe: converts query strings and params to the DTO's types, rejects unknown
 * properties (a typo is a 400, not a silently ignored field) and answers 400 with field-level details,
 * each field named by its dotted path (`answers.0.value`).
 */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const constraints = distinct(errors.flatMap((error) => flatten(error, '')));
      return new BadRequestException(
        options.details === 'per-field' ? perField(constraints) : perConstraint(constraints),
      );
    },
  });
}

function flatten(error: ValidationError, parent: string): ApiErrorDetail[] {
  const field = parent === '' ? error.property : `${parent}.${error.property}`;
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
    field,
    message:
      constraint === 'whitelistValidation' ? 'should not exist' : withoutFieldName(message, error.property),
  }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}

/**
 * class-validator's messages start with the property (`limit must be an integer number`, or `limit: …` where
 * a DTO wrote its own): the detail already names the field and the summary prefixes it, so the message keeps
 * only what is wrong, and the summary reads `limit: must be …` rather than `limit: limit must be …`.
 */
function withoutFieldName(message: string, property: string): string {
  for (const prefix of [`${property}: `, `${property} `]) {
    if (message.startsWith(prefix) && message.length > prefix.length) return message.slice(prefix.length);
  }
  return message;
}

/** Two constraints with one message (IsInt and Min sharing "must be an integer from 1 to 100") say it once. */
function distinct(details: ApiErrorDetail[]): ApiErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((detail) => {
    const key = `${detail.field}\u0000${detail.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function perConstraint(details: ApiErrorDetail[]): ApiErrorBody {
  const message = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
  return { statusCode: 400, error: 'Bad Request', message, details };
}

/** The message names only the fields, as medical-vitals' own 400s (`invalid request: from, to`) do. */
function perField(details: ApiErrorDetail[]): ApiErrorBody {
  const byField = new Map<string, string[]>();
  for (const { field, message } of details) byField.set(field, [...(byField.get(field) ?? []), message]);
  const problems: ApiFieldProblems[] = [...byField].map(([field, messages]) => ({
    field,
    problems: messages,
  }));
  const message = `invalid request: ${problems.map((problem) => problem.field).join(', ')}`;
  return { statusCode: 400, error: 'Bad Request', message, details: problems };
}
