import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { assertSecret } from './auth-options.js';

export type PurposeTokenFailure = 'expired' | 'bad-signature' | 'wrong-purpose' | 'malformed';

/** Why a purpose token was refused; `reason` is safe to return to the caller. */
export class PurposeTokenError extends Error {
  constructor(
    readonly reason: PurposeTokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PurposeTokenError';
  }
}

export interface PurposeTokensOptions {
  /** Its own secret, never the access token's: a leaked QR secret must not mint logins. */
  secret: string;
  issuer: string;
  clock?: () => number;
}

const ALGORITHM = 'HS256';
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub']);

/**
 * Signed single-purpose tokens (a QR check-in code, an e-mail link). The purpose is the JWT audience,
 * so a token minted for one purpose fails verification for every other.
 */
export class PurposeTokens {
  private readonly key: Uint8Array;
  private readonly clock: () => number;

  constructor(private readonly options: PurposeTokensOptions) {
    assertSecret('purpose token secret', options.secret);
    this.key = new TextEncoder().encode(options.secret);
    this.clock = options.clock ?? Date.now;
  }

  async sign(purpose: string, claims: Record<string, string | number>, ttlSeconds: number): Promise<string> {
    const reserved = Object.keys(claims).find((name) => RESERVED_CLAIMS.has(name));
    if (reserved) throw new Error(`purpose token claim '${reserved}' is reserved`);
    const issuedAt = Math.floor(this.clock() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.options.issuer)
      .setAudience(purpose)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(this.key);
  }

  /** The token's own claims (without the registered JWT claims), or a `PurposeTokenError`. */
  async verify(purpose: string, token: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: purpose,
        currentDate: new Date(this.clock()),
        requiredClaims: ['exp'],
      });
      return ownClaims(payload);
    } catch (error) {
      throw toPurposeTokenError(error, purpose);
    }
  }
}

function ownClaims(payload: JWTPayload): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([name]) => !RESERVED_CLAIMS.has(name)));
}

function toPurposeTokenError(error: unknown, purpose: string): PurposeTokenError {
  if (error instanceof errors.JWTExpired) return new PurposeTokenError('expired', 'token expired');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new PurposeTokenError('wrong-purpose', `token was not issued for ${purpose}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new PurposeTokenError('bad-signature', 'token signature is invalid');
  }
  return new PurposeTokenError('malformed', 'token is malformed');
}
