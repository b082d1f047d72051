import { SignJWT } from 'jose';
import type { AppConfig } from '../../src/config.js';

/**
 * An access token as the app's TokenService signs it (HS256, sub/role/iss/aud/iat/exp), for proofs and benches
 * that need hundreds or thousands of viewers without a signup each (password hashing would dominate the run).
 */
export async function signAccessToken(config: AppConfig, userId: string, role = 'viewer'): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + config.auth.accessTokenTtlSeconds)
    .sign(new TextEncoder().encode(config.auth.accessTokenSecret));
}
