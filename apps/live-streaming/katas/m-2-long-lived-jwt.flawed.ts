import {
  InvalidAccessTokenError,
  InvalidRefreshTokenError,
  type AuthenticatedUser,
  type ConsumeResult,
  type RefreshTokenRecord,
  type RefreshTokenStore,
  type SessionTokens,
  type TokenService,
} from '@remedy/auth';
import { jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';

/*
 * livestream:M2 — the design's sessions: one JWT valid 24 hours, no refresh token. A copied token works for
 * a day, from anywhere, and nothing can end it early.
 *
 * LegacyTokenService takes TokenService's place in the service (login, signup, the access-token guard and
 * /auth/refresh all go through it), so the measurement drives the real endpoints with the review's tokens.
 */
const LIFETIME_SECONDS = 24 * 3_600;

export class LegacyTokenService implements Pick<
  TokenService,
  'startSession' | 'rotate' | 'endSession' | 'verifyAccessToken'
> {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async startSession(user: AuthenticatedUser): Promise<SessionTokens> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + LIFETIME_SECONDS)
      .sign(this.key);
    return { accessToken, refreshToken: '', expiresIn: LIFETIME_SECONDS };
  }

  rotate(): Promise<SessionTokens> {
    return Promise.reject(new InvalidRefreshTokenError('refresh tokens are not implemented'));
  }

  endSession(): Promise<void> {
    return Promise.resolve();
  }

  async verifyAccessToken(token: string): Promise<AuthenticatedUser> {
    try {
      const { payload } = await jwtVerify(token, this.key);
      return { id: String(payload.sub), role: String(payload['role']) };
    } catch {
      throw new InvalidAccessTokenError('access token rejected');
    }
  }
}

/*
 * Close cousin, put back into the remediated service: refresh tokens exist but are never spent, so a copy
 * keeps minting sessions until it expires (rotation off). Same table, same queries, minus `used_at`.
 */
export class NeverSpentRefreshTokenStore implements RefreshTokenStore {
  constructor(
    private readonly pool: Pick<pg.Pool, 'query'>,
    private readonly inner: RefreshTokenStore,
  ) {}

  insert(record: RefreshTokenRecord): Promise<void> {
    return this.inner.insert(record);
  }

  async consume(id: string, tokenHash: Buffer, now: Date): Promise<ConsumeResult> {
    const { rows } = await this.pool.query<{
      family_id: string;
      user_id: string;
      role: string;
      expires_at: Date;
    }>(
      `SELECT family_id, user_id, role, expires_at FROM auth_refresh_tokens
        WHERE id = $1 AND token_hash = $2 AND revoked_at IS NULL AND expires_at > $3`,
      [id, tokenHash, now],
    );
    const row = rows[0];
    if (!row) return { status: 'invalid', reason: 'unknown' };
    return {
      status: 'consumed',
      record: {
        id,
        familyId: row.family_id,
        userId: row.user_id,
        role: row.role,
        tokenHash,
        expiresAt: row.expires_at,
      },
    };
  }

  revokeFamily(familyId: string, now: Date): Promise<number> {
    return this.inner.revokeFamily(familyId, now);
  }
}
