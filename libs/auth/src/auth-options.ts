import type { RefreshTokenStore } from './refresh-token-store.js';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

const MIN_SECRET_LENGTH = 32;

export interface AuthModuleOptions {
  /** HMAC secret for access tokens (HS256); at least 32 characters. */
  accessTokenSecret: string;
  /** Access token lifetime; default 900 s (15 min). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; default 7 days. */
  refreshTokenTtlSeconds?: number;
  issuer: string;
  audience: string;
  refreshTokenStore: RefreshTokenStore;
  /** Milliseconds since the epoch; tests move it to expire tokens without waiting. */
  clock?: () => number;
}

export type ResolvedAuthOptions = Required<AuthModuleOptions>;

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** Rejects settings that would make tokens forgeable or meaningless, with a message naming the field. */
export function resolveAuthOptions(options: AuthModuleOptions): ResolvedAuthOptions {
  assertSecret('accessTokenSecret', options.accessTokenSecret);
  const resolved: ResolvedAuthOptions = {
    accessTokenTtlSeconds: DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
    clock: Date.now,
    ...options,
  };
  for (const field of ['accessTokenTtlSeconds', 'refreshTokenTtlSeconds'] as const) {
    const value = resolved[field];
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`auth: ${field} must be a positive integer number of seconds, got ${value}`);
    }
  }
  if (!resolved.issuer || !resolved.audience) throw new Error('auth: issuer and audience are required');
  return resolved;
}

export function assertSecret(field: string, secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`auth: ${field} must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}
