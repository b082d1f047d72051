import { BadGatewayException, ServiceUnavailableException } from '@nestjs/common';
import { ProviderCallError } from './providers/provider-call-error.js';

/** 503 when no engine could translate; the error filter sends `retryAfterSeconds` as Retry-After. */
export class TranslationUnavailableException extends ServiceUnavailableException {
  constructor(readonly retryAfterSeconds: number) {
    super('translation is unavailable for now: every engine failed or is over its quota; retry later');
  }
}

/** What a failed batch becomes at the HTTP edge: no provider message or internals reach the caller. */
export function translationFailure(error: unknown): Error {
  if (!(error instanceof ProviderCallError)) return error instanceof Error ? error : new Error(String(error));
  if (error.failure === 'rejected') return new BadGatewayException('the translation engine refused the text');
  return new TranslationUnavailableException(error.retryAfterSeconds ?? 1);
}
