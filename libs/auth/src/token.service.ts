import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenCodec } from './access-token.js';
import { InvalidRefreshTokenError, RefreshTokenReusedError } from './auth-errors.js';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth-options.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { newRefreshToken, parseRefreshToken } from './refresh-token-codec.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

/** Issues access tokens and rotates one-time refresh tokens, revoking a family on reuse. */
@Injectable()
export class TokenService {
  private readonly accessTokens: AccessTokenCodec;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {
    this.accessTokens = new AccessTokenCodec({
      secret: options.accessTokenSecret,
      issuer: options.issuer,
      audience: options.audience,
      ttlSeconds: options.accessTokenTtlSeconds,
      clock: options.clock,
    });
  }

  /** After a successful login: a new token family. */
  async startSession(user: AuthenticatedUser): Promise<SessionTokens> {
    return this.issue(user, randomUUID());
  }

  /** Trades a refresh token for a new pair; the presented token can never be used again. */
  async rotate(refreshToken: string): Promise<SessionTokens> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError('malformed');
    const now = this.now();
    const result = await this.options.refreshTokenStore.consume(parsed.id, parsed.hash, now);
    switch (result.status) {
      case 'consumed':
        return this.issue({ id: result.record.userId, role: result.record.role }, result.record.familyId);
      case 'reused':
        await this.options.refreshTokenStore.revokeFamily(result.familyId, now);
        throw new RefreshTokenReusedError(result.familyId);
      case 'invalid':
        throw new InvalidRefreshTokenError(result.reason);
    }
  }

  /** Logout: revokes the token's whole family. Unknown or already revoked tokens are ignored. */
  async endSession(refreshToken: string): Promise<void> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) return;
    const now = this.now();
    const result = await this.options.refreshTokenStore.consume(parsed.id, parsed.hash, now);
    if (result.status === 'consumed') {
      await this.options.refreshTokenStore.revokeFamily(result.record.familyId, now);
    } else if (result.status === 'reused') {
      await this.options.refreshTokenStore.revokeFamily(result.familyId, now);
    }
  }

  verifyAccessToken(token: string): Promise<AuthenticatedUser> {
    return this.accessTokens.verify(token);
  }

  private async issue(user: AuthenticatedUser, familyId: string): Promise<SessionTokens> {
    const refresh = newRefreshToken();
    await this.options.refreshTokenStore.insert({
      id: refresh.id,
      familyId,
      userId: user.id,
      role: user.role,
      tokenHash: refresh.hash,
      expiresAt: new Date(this.options.clock() + this.options.refreshTokenTtlSeconds * 1000),
    });
    return {
      accessToken: await this.accessTokens.sign(user),
      refreshToken: refresh.token,
      expiresIn: this.options.accessTokenTtlSeconds,
    };
  }

  private now(): Date {
    return new Date(this.options.clock());
  }
}
