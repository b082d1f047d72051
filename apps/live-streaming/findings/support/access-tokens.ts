import { SignJWT } from 'jose';
import type { AppConfig } from '../../src/config.js';

/**
 * An access token as the app's TokenService signs it (HS256, sub/role/iss/aud/iat/exp), for tests that need
 * many viewers without a signup each (password hashing would dominate the run). `ttlSeconds` may be negative:
 * an expired token.
 */
export async function signAccessToken(
  config: AppConfig,
  userId: string,
  ttlSeconds = config.auth.accessTokenTtlSeconds,
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000) - (ttlSeconds < 0 ? 2 * -ttlSeconds : 0);
  return new SignJWT({ role: 'member' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (ttlSeconds < 0 ? -ttlSeconds : ttlSeconds))
    .sign(new TextEncoder().encode(config.auth.accessTokenSecret));
}
