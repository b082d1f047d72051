import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PurposeTokenError, PurposeTokens } from '@remedy/auth';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';

export const CHECKIN_PURPOSE = 'checkin';

export interface CheckinClaims {
  registrationId: string;
  eventId: string;
}

/** Signed QR payloads (events:m-1): own secret, purpose `checkin`, valid until an hour after the event ends. */
@Injectable()
export class CheckinTokens {
  private readonly tokens: PurposeTokens;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.tokens = new PurposeTokens({ secret: config.auth.purposeTokenSecret, issuer: config.auth.issuer });
  }

  async issue(claims: CheckinClaims, eventEndsAt: Date): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Math.max(eventEndsAt.getTime() + 3_600_000, Date.now() + 60_000));
    const ttlSeconds = Math.ceil((expiresAt.getTime() - Date.now()) / 1000);
    const token = await this.tokens.sign(CHECKIN_PURPOSE, { ...claims }, ttlSeconds);
    return { token, expiresAt };
  }

  /** The claims of a genuine, unexpired check-in token, or a 401 that says what was wrong with it. */
  async verify(token: string): Promise<CheckinClaims> {
    try {
      const claims = await this.tokens.verify(CHECKIN_PURPOSE, token);
      const { registrationId, eventId } = claims;
      if (typeof registrationId !== 'string' || typeof eventId !== 'string') {
        throw new PurposeTokenError('malformed', 'token lacks its registration or event');
      }
      return { registrationId, eventId };
    } catch (error) {
      if (!(error instanceof PurposeTokenError)) throw error;
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: `check-in token rejected: ${error.message}`,
        details: [{ field: 'token', message: error.reason }],
      });
    }
  }
}
