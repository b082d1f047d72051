import { PgRefreshTokenStore, TokenService } from '@remedy/auth';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { decodeJwt } from 'jose';
import { issueLegacyToken, verifyLegacyToken } from '../katas/minor-2-long-lived-jwt.flawed.js';
import { ApiClient, type SessionBody } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

/*
 * How long a copied credential keeps working: the probe offsets at which a stolen token is tried, from
 * one minute to eight days after it was issued. The value is the largest offset at which it still worked.
 */
const PROBES_SECONDS = [60, 899, 900, 3_600, 86_399, 86_400, 8 * 86_400];

async function flawed(): Promise<Measurement> {
  const secret = TEST_SECRETS.JWT_ACCESS_SECRET;
  const issued = Date.now();
  const token = await issueLegacyToken(secret, 'user-1', issued);
  let usable = 0;
  for (const offset of PROBES_SECONDS) {
    if (await verifyLegacyToken(secret, token, issued + offset * 1000)) usable = offset;
  }
  return { value: usable, details: { 'refresh tokens': 'none', revocable: 'no' } };
}

async function remediated(ctx: FindingContext): Promise<Measurement> {
  const testApp = await startTestApp(ctx);
  try {
    const api = new ApiClient(testApp.url);
    const session = await api.signup('m2-victim@example.com');
    const issued = (decodeJwt(session.accessToken).iat ?? 0) * 1000;
    let usable = 0;
    for (const offset of PROBES_SECONDS) {
      // The app's own verifier code and settings, with a clock moved to the probe time.
      const verifier = new TokenService({
        accessTokenSecret: TEST_SECRETS.JWT_ACCESS_SECRET,
        accessTokenTtlSeconds: testApp.config.auth.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: testApp.config.auth.refreshTokenTtlSeconds,
        issuer: testApp.config.auth.issuer,
        audience: testApp.config.auth.audience,
        refreshTokenStore: new PgRefreshTokenStore(ctx.pool),
        clock: () => issued + offset * 1000,
      });
      if (
        await verifier.verifyAccessToken(session.accessToken).then(
          () => true,
          () => false,
        )
      )
        usable = offset;
    }
    // The thief replays the refresh token after the user has rotated it: refused, and the user's login is revoked.
    const rotated = await api.call<SessionBody>('POST', '/auth/refresh', {
      refreshToken: session.refreshToken,
    });
    const replay = await api.call('POST', '/auth/refresh', { refreshToken: session.refreshToken });
    const afterReuse = await api.call('POST', '/auth/refresh', { refreshToken: rotated.body.refreshToken });
    if (rotated.status !== 200 || replay.status !== 401 || afterReuse.status !== 401) {
      throw new Error(
        `rotation/reuse: ${rotated.status}/${replay.status}/${afterReuse.status}, expected 200/401/401`,
      );
    }
    return {
      value: usable,
      details: { 'refresh token': '7 days, one use', 'replayed refresh token': 'HTTP 401, family revoked' },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:m-2',
  title: '24 hour access tokens with no refresh: a stolen token works all day',
  explanation:
    'With one 24 h JWT and no refresh, a token copied from a log or a shared machine keeps working for a day and nothing ' +
    'can end it. The service issues 15 minute access tokens and one-time refresh tokens (7 days) that rotate on every ' +
    'use; presenting a spent refresh token means two parties hold it, so the whole family is revoked and both must log in.',
  fix: [
    '../../libs/auth/src/token.service.ts',
    '../../libs/auth/src/pg-refresh-token-store.ts',
    'src/auth/auth.controller.ts',
  ],
  metric: { name: 'longest time a stolen access token still works', unit: 's', better: 'lower' },
  measure: (variant, ctx) => (variant === 'flawed' ? flawed() : remediated(ctx)),
  flawed: (seconds) => seconds >= 86_399,
  remediated: (seconds) => seconds <= 900,
});
