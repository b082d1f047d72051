import { UnauthorizedException } from '@nestjs/common';

/** A refresh token that is unknown, expired, revoked or malformed. */
export class InvalidRefreshTokenError extends UnauthorizedException {
  constructor(reason: string) {
    super(`invalid refresh token: ${reason}`);
    this.name = 'InvalidRefreshTokenError';
  }
}

/**
 * A refresh token presented a second time. Only a copy can do that (the legitimate client got a new
 * token on the first use), so the whole family is revoked and both holders must log in again.
 */
export class RefreshTokenReusedError extends UnauthorizedException {
  constructor(readonly familyId: string) {
    super('refresh token already used: every session of this login has been revoked');
    this.name = 'RefreshTokenReusedError';
  }
}

/** An access token that is missing, expired, or not ours; `reason` says which. */
export class InvalidAccessTokenError extends UnauthorizedException {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidAccessTokenError';
  }
}
