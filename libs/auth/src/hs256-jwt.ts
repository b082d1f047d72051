import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { InvalidAccessTokenError } from './auth-errors.js';

export interface Hs256Expectations {
  issuer: string;
  audience: string;
  /** Claims that must be present. */
  required: readonly string[];
}

type Claims = Record<string, unknown>;

/**
 * Verifies a compact HS256 JWT synchronously with node:crypto and returns its claims, with the checks jose's
 * `jwtVerify` makes for our options: the header must say HS256 and nothing we do not implement (`crit`,
 * unencoded payloads), the signature must match in constant time, `exp`/`nbf`/`iat` must be numbers, `exp`
 * in the future and `nbf` not, `iss` ours and `aud` (a string or a list) include ours. WebCrypto runs every
 * HMAC as a job that returns a promise; on the request path that machinery cost far more than the HMAC.
 */
export function verifyHs256Jwt(
  token: string,
  key: KeyObject,
  expected: Hs256Expectations,
  nowSeconds: number,
): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) throw malformed();
  const [encodedHeader, encodedPayload, signature] = parts as [string, string, string];
  const header = decodeObject(encodedHeader);
  if (header['alg'] !== 'HS256' || 'crit' in header || 'b64' in header) throw malformed();
  const expectedSignature = Buffer.from(
    createHmac('sha256', key).update(`${encodedHeader}.${encodedPayload}`).digest('base64url'),
  );
  const presented = Buffer.from(signature);
  if (presented.length !== expectedSignature.length || !timingSafeEqual(presented, expectedSignature)) {
    throw new InvalidAccessTokenError('access token signature is invalid');
  }
  const claims = decodeObject(encodedPayload);
  checkClaims(claims, expected, nowSeconds);
  return claims;
}

function checkClaims(claims: Claims, expected: Hs256Expectations, now: number): void {
  for (const claim of expected.required) if (!(claim in claims)) throw rejected(claim);
  for (const claim of ['iat', 'exp', 'nbf']) {
    if (claim in claims && typeof claims[claim] !== 'number') throw rejected(claim);
  }
  if (claims['iss'] !== expected.issuer) throw rejected('iss');
  const audience = claims['aud'];
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(expected.audience)) throw rejected('aud');
  if (typeof claims['nbf'] === 'number' && claims['nbf'] > now) throw rejected('nbf');
  if (typeof claims['exp'] === 'number' && claims['exp'] <= now) {
    throw new InvalidAccessTokenError('access token expired');
  }
}

function decodeObject(part: string): Claims {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed();
  return value as Claims;
}

function rejected(claim: string): InvalidAccessTokenError {
  return new InvalidAccessTokenError(`access token rejected: ${claim} claim is not accepted`);
}

function malformed(): InvalidAccessTokenError {
  return new InvalidAccessTokenError('access token is malformed');
}
