import { createSecretKey, webcrypto, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { InvalidAccessTokenError } from './auth-errors.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { verifyHs256Jwt, type Hs256Expectations } from './hs256-jwt.js';

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
  /* Imported once for signing: handed the raw bytes, jose imports a WebCrypto key on every call. */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /** The same secret for node:crypto: every request verifies a token, synchronously (hs256-jwt.ts). */
  private readonly verifyKey: KeyObject;
  private readonly expectations: Hs256Expectations;

  constructor(private readonly settings: AccessTokenSettings) {
    const secret = new TextEncoder().encode(settings.secret);
    this.key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    this.verifyKey = createSecretKey(secret);
    this.expectations = {
      issuer: settings.issuer,
      audience: settings.audience,
      required: ['sub', 'exp', 'iat'],
    };
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

  /** Resolves to the token's user, or rejects with InvalidAccessTokenError; the work is synchronous. */
  verify(token: string): Promise<AuthenticatedUser> {
    // The executor's throw becomes the rejection, as from an async function.
    return new Promise((resolve) => resolve(this.userOf(token)));
  }

  private userOf(token: string): AuthenticatedUser {
    const nowSeconds = Math.floor(this.settings.clock() / 1000);
    const payload = verifyHs256Jwt(token, this.verifyKey, this.expectations, nowSeconds);
    if (typeof payload['sub'] !== 'string' || typeof payload['role'] !== 'string') {
      throw new InvalidAccessTokenError('access token lacks a subject or role');
    }
    return { id: payload['sub'], role: payload['role'] };
  }
}
