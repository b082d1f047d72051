import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AppConfig } from '../config.js';

export const SES_CLIENT = Symbol('SES_CLIENT');

/**
 * SESv2 with explicit timeouts: a hung provider fails the attempt after `requestTimeoutMs` and BullMQ
 * retries the job with backoff, so the SDK's own retries are off (they would multiply the attempts).
 * With SES_ENDPOINT set (the local emulator) the SDK gets static placeholder credentials, since the
 * emulator only checks that a signature is present; without it, the default AWS credential chain applies.
 */
export function createSesClient(mail: AppConfig['mail']): SESv2Client {
  return new SESv2Client({
    region: mail.sesRegion,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: Math.min(2_000, mail.requestTimeoutMs),
      requestTimeout: mail.requestTimeoutMs,
    },
    ...(mail.sesEndpoint
      ? { endpoint: mail.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
