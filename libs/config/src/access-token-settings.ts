import type { ConfigReader } from './config-reader.js';

/** Short access JWTs and one-time refresh tokens (@remedy/auth). */
export interface AccessTokenSettings {
  accessTokenSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  issuer: string;
  audience: string;
}

/** JWT_ACCESS_SECRET (required, ≥ 32 characters), the token lifetimes (refresh: 7 days) and issuer/audience. */
export function readAccessTokenSettings(
  read: ConfigReader,
  defaults: { accessTokenTtlSeconds: number; issuer: string; audience: string },
): AccessTokenSettings {
  return {
    accessTokenSecret: read.secret('JWT_ACCESS_SECRET'),
    accessTokenTtlSeconds: read.integer('JWT_ACCESS_TTL_SECONDS', defaults.accessTokenTtlSeconds, 60, 86_400),
    refreshTokenTtlSeconds: read.integer('JWT_REFRESH_TTL_SECONDS', 7 * 86_400, 3_600, 90 * 86_400),
    issuer: read.text('JWT_ISSUER', defaults.issuer),
    audience: read.text('JWT_AUDIENCE', defaults.audience),
  };
}
