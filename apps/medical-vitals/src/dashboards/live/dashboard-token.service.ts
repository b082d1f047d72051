import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config.js';

/** Who a /live socket belongs to and which wards it may watch (null: every ward). */
export interface DashboardPrincipal {
  subject: string;
  wardIds: string[] | null;
  expiresAt: number;
}

interface TokenPayload {
  sub: string;
  wards: string[] | null;
  exp: number;
}

/**
 * Dashboard tokens: `v1.<payload>.<HMAC-SHA256>` in base64url, stateless so any instance can verify
 * them with the shared DASHBOARD_TOKEN_SECRET. Short enough to live for a nurse's shift, not longer.
 */
@Injectable()
export class DashboardTokens {
  private readonly secret: Buffer;
  private readonly ttlSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret =
      config.dashboards.tokenSecret === undefined
        ? randomBytes(32)
        : Buffer.from(config.dashboards.tokenSecret);
    this.ttlSeconds = config.dashboards.tokenTtlSeconds;
  }

  issue(subject: string, wardIds: string[] | null, now = Date.now()): { token: string; expiresAt: string } {
    const exp = Math.floor(now / 1000) + this.ttlSeconds;
    const payload = Buffer.from(
      JSON.stringify({ sub: subject, wards: wardIds, exp } satisfies TokenPayload),
    ).toString('base64url');
    return { token: `v1.${payload}.${this.sign(payload)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The principal, or null for anything forged, malformed or expired (never says which, never logs the token). */
  verify(token: unknown, now = Date.now()): DashboardPrincipal | null {
    if (typeof token !== 'string' || token.length > 4096) return null;
    const [version, payload, signature] = token.split('.');
    if (version !== 'v1' || !payload || !signature) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let decoded: TokenPayload;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      return null;
    }
    if (typeof decoded.exp !== 'number' || decoded.exp * 1000 <= now || typeof decoded.sub !== 'string')
      return null;
    return {
      subject: decoded.sub,
      wardIds: Array.isArray(decoded.wards) ? decoded.wards : null,
      expiresAt: decoded.exp * 1000,
    };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
