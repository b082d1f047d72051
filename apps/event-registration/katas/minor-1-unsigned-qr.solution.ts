import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PurposeTokenError, PurposeTokens } from '@remedy/auth';
import { compactVerify, decodeJwt } from 'jose';
import { APP_CONFIG } from '../src/app-config.module.js';
import { CHECKIN_PURPOSE, CheckinTokens, type CheckinClaims } from '../src/checkin/checkin-tokens.js';
import type { AppConfig } from '../src/config.js';

/*
 * events:m-1 — the design has QR check-in but specifies no generation or validation: the code is just the
 * registration's identifiers, readable and writable by anyone, and valid forever. Whoever knows (or
 * guesses, or copies from a screenshot) a registration id can print a working code.
 *
 * UnsignedCheckinCodes takes CheckinTokens' place in the service (same `issue`/`verify`), so the organiser
 * desk's POST /checkin runs exactly as in production with the review's codes behind it.
 */
export type CheckinCodes = Pick<CheckinTokens, 'issue' | 'verify'>;

export function unsignedCode(claims: CheckinClaims): string {
  return Buffer.from(JSON.stringify(claims)).toString('base64url');
}

/** The ids in an unsigned code, or undefined when the text is not one. */
function readUnsignedCode(code: string): CheckinClaims | undefined {
  try {
    const claims = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as Partial<CheckinClaims>;
    if (typeof claims.registrationId !== 'string' || typeof claims.eventId !== 'string') return undefined;
    return { registrationId: claims.registrationId, eventId: claims.eventId };
  } catch {
    return undefined;
  }
}

// Signed codes: an HMAC over the ids with a secret of their own and a `checkin` purpose (so no other token of
// the service passes for one), valid until an hour after the event ends. A forged, altered or expired code
// fails the verification and gets a 401.
@Injectable()
export class UnsignedCheckinCodes implements CheckinCodes {
  private readonly tokens: PurposeTokens;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.tokens = new PurposeTokens({ secret: config.auth.purposeTokenSecret, issuer: config.auth.issuer });
  }

  async issue(claims: CheckinClaims, eventEndsAt: Date): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Math.max(eventEndsAt.getTime() + 3_600_000, Date.now() + 60_000));
    const ttlSeconds = Math.ceil((expiresAt.getTime() - Date.now()) / 1000);
    return { token: await this.tokens.sign(CHECKIN_PURPOSE, { ...claims }, ttlSeconds), expiresAt };
  }

  // The 401 names what was wrong (bad signature, malformed, expired, another purpose), for the desk's message.
  async verify(code: string): Promise<CheckinClaims> {
    try {
      const { registrationId, eventId } = await this.tokens.verify(CHECKIN_PURPOSE, code);
      if (typeof registrationId !== 'string' || typeof eventId !== 'string')
        throw new PurposeTokenError('malformed', 'token lacks its registration or event');
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

/*
 * Close cousins, each put back into the remediated service in place of CheckinTokens' verify.
 */

/** Signed codes, but the old unsigned ones still accepted "during the migration". */
export class LegacyFallbackCheckinTokens extends CheckinTokens {
  override async verify(code: string): Promise<CheckinClaims> {
    try {
      return await super.verify(code);
    } catch (error) {
      const legacy = readUnsignedCode(code);
      if (legacy) return legacy;
      throw error;
    }
  }
}

/** The token's claims read with decodeJwt instead of jwtVerify: no signature, no expiry. */
export class DecodedNotVerifiedCheckinTokens extends CheckinTokens {
  override verify(code: string): Promise<CheckinClaims> {
    try {
      const { registrationId, eventId } = decodeJwt(code);
      if (typeof registrationId === 'string' && typeof eventId === 'string')
        return Promise.resolve({ registrationId, eventId });
    } catch {
      // fall through to the service's own refusal
    }
    return super.verify(code);
  }
}

/** The signature is checked (compactVerify) but the claims are not: an expired code still works. */
export class ExpiryIgnoredCheckinTokens extends CheckinTokens {
  private readonly key: Uint8Array;

  constructor(config: AppConfig) {
    super(config);
    this.key = new TextEncoder().encode(config.auth.purposeTokenSecret);
  }

  override async verify(code: string): Promise<CheckinClaims> {
    try {
      const { payload } = await compactVerify(code, this.key);
      const { registrationId, eventId } = JSON.parse(new TextDecoder().decode(payload)) as Record<
        string,
        unknown
      >;
      if (typeof registrationId === 'string' && typeof eventId === 'string')
        return { registrationId, eventId };
    } catch {
      // fall through to the service's own refusal
    }
    return super.verify(code);
  }
}
