import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { InvalidAccessTokenError } from './auth-errors.js';
import type { AuthenticatedUser } from './authenticated-user.js';

export interface AccessTokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock: () => number;
}

const ALGORITHM = 'HS256';

/** HS256 JWTs: `sub` = user id, `role`, `iss`, `aud`, `iat`, `exp`. */
export class AccessTokenCodec {
  /*
   * Imported once: handed the raw bytes, jose imports a WebCrypto key on every sign and verify, which was
   * the largest single cost of an authenticated request.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(private readonly settings: AccessTokenSettings) {
    this.key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(settings.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  async sign(user: AuthenticatedUser): Promise<string> {
    const issuedAt = Math.floor(this.settings.clock() / 1000);
    return new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .sign(await this.key);
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        currentDate: new Date(this.settings.clock()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || typeof payload['role'] !== 'string') {
        throw new InvalidAccessTokenError('access token lacks a subject or role');
      }
      return { id: payload.sub, role: payload['role'] };
    } catch (error) {
      throw toAccessTokenError(error);
    }
  }
}

function toAccessTokenError(error: unknown): InvalidAccessTokenError {
  if (error instanceof InvalidAccessTokenError) return error;
  if (error instanceof errors.JWTExpired) return new InvalidAccessTokenError('access token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidAccessTokenError(`access token rejected: ${error.claim} claim is not accepted`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidAccessTokenError('access token signature is invalid');
  }
  return new InvalidAccessTokenError('access token is malformed');
}
