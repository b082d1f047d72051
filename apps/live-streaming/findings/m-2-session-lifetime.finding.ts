import { AUTH_OPTIONS, PgRefreshTokenStore, TokenService, type ResolvedAuthOptions } from '@remedy/auth';
import { dataSourcePools, poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { LegacyTokenService, NeverSpentRefreshTokenStore } from '../katas/m-2-long-lived-jwt.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig, ConfigValues } from '../src/config.js';
import { ApiClient, type SessionBody } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { TEST_SECRETS } from './support/test-config.js';

type Run = 'flawed' | 'remediated' | '24 h access token' | 'refresh rotation off';

function setupFor(run: Run): { overrides: ConfigValues; plugs: ProviderPlug[] } {
  switch (run) {
    case 'flawed':
      return {
        overrides: {},
        plugs: [{ provide: TokenService, useValue: new LegacyTokenService(TEST_SECRETS.JWT_ACCESS_SECRET) }],
      };
    case 'remediated':
      return { overrides: {}, plugs: [] };
    case '24 h access token':
      return { overrides: { JWT_ACCESS_TTL_SECONDS: '86400' }, plugs: [] };
    case 'refresh rotation off':
      return {
        overrides: {},
        plugs: [
          {
            provide: AUTH_OPTIONS,
            inject: [APP_CONFIG, DataSource],
            useFactory: (config: AppConfig, dataSource: DataSource): ResolvedAuthOptions => {
              const [pool] = dataSourcePools(dataSource);
              if (!pool) throw new Error('the DataSource has no primary pool');
              return {
                accessTokenSecret: config.auth.accessTokenSecret,
                accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
                refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
                issuer: config.auth.issuer,
                audience: config.auth.audience,
                refreshTokenStore: new NeverSpentRefreshTokenStore(pool, new PgRefreshTokenStore(pool)),
                clock: Date.now,
              };
            },
          },
        ],
      };
  }
}

/** Seconds between a returned access token's iat and exp: the lifetime the service gave it. */
function lifetimeOf(accessToken: string): number {
  const { iat, exp } = decodeJwt(accessToken);
  if (iat === undefined || exp === undefined) throw new Error('the access token has no iat or exp');
  return exp - iat;
}

/** Seconds the refresh token has left, as the service recorded it. */
async function refreshLifetimeLeft(ctx: FindingContext, refreshToken: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ left: number }>(
    `SELECT extract(epoch FROM expires_at - now())::int AS left FROM auth_refresh_tokens WHERE id = $1`,
    [refreshToken.split('.')[0]],
  );
  return rows[0]?.left ?? 0;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const { overrides, plugs } = setupFor(run);
  const testApp = await startTestApp(ctx, overrides, { plugs });
  try {
    const api = new ApiClient(testApp.url);
    const signup = await api.signup('m2_victim@example.com');
    const login = await api.login('m2_victim@example.com');
    const sessions: Array<Pick<SessionBody, 'accessToken'>> = [signup, login];
    const details: Record<string, string | number> = {};
    let stolenRefreshWorks = 0;
    if (login.refreshToken) {
      // The user refreshes; a thief who copied the refresh token before that replays it afterwards.
      const rotated = await api.expect<SessionBody>(200, 'POST', '/auth/refresh', {
        refreshToken: login.refreshToken,
      });
      sessions.push(rotated);
      const replay = await api.call('POST', '/auth/refresh', { refreshToken: login.refreshToken });
      details['replayed refresh token'] = `HTTP ${replay.status}`;
      if (replay.status !== 401) stolenRefreshWorks = await refreshLifetimeLeft(ctx, login.refreshToken);
      else {
        // Two parties held one token: the user's own newer token is revoked with the family.
        const family = await api.call('POST', '/auth/refresh', { refreshToken: rotated.refreshToken });
        details["user's rotated token after the replay"] = `HTTP ${family.status}`;
      }
    } else {
      details['refresh tokens'] = 'none issued';
    }
    for (const session of sessions) await api.expect(200, 'GET', '/me', undefined, session.accessToken);
    // An authenticated request is checked by signature and expiry, and /me is a cached profile: no SQL.
    const { count } = await poolStatementsDuring(`${testApp.config.database.applicationName}-api`, () =>
      api.expect(200, 'GET', '/me', undefined, login.accessToken),
    );
    details['SQL statements for a repeated authenticated GET /me'] = count;
    const accessLifetime = Math.max(...sessions.map((session) => lifetimeOf(session.accessToken)));
    details['access token lifetime (s)'] = accessLifetime;
    details['stolen refresh token works for (s)'] = stolenRefreshWorks;
    return { value: Math.max(accessLifetime, stolenRefreshWorks), details };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:M2',
  title: '24 hour access tokens with no refresh: a stolen token works all day',
  explanation:
    'With one 24 h JWT and no refresh, a token copied from a log or a shared machine keeps working for a day and nothing ' +
    'can end it. The service issues 1 hour access tokens and one-time refresh tokens (7 days) that rotate on every use; ' +
    'presenting a spent refresh token means two parties hold it, so the whole login is revoked and both must sign in ' +
    'again. The access token is checked by its signature alone, so short tokens cost no lookup per request (the ' +
    'review\'s "cache the session" point: an authenticated, cached GET /me runs no SQL). Both runs sign up, log in and ' +
    "refresh through the API (the review's tokens plugged in for TokenService) and read the lifetime off the access " +
    'tokens the service returned; a thief then replays the refresh token the user already rotated: if the service ' +
    'takes it, the stolen credential lives as long as that refresh token.',
  fix: [
    '../../libs/auth/src/token.service.ts',
    '../../libs/auth/src/pg-refresh-token-store.ts',
    'src/auth/app-auth.module.ts',
    'src/auth/member.guard.ts',
  ],
  difficulty: 3,
  hints: [
    'A stolen 24 h token works all day and nothing can end it. Make what a thief can steal short-lived.',
    'Short access tokens need a way to get new ones without logging in again: a second, longer-lived credential kept server-side.',
    'Make each refresh token usable once: rotate it on every use, and treat a spent one coming back as theft — revoke its whole family.',
    'The technique: short-lived access JWTs (1 h) with rotating refresh tokens and reuse detection (libs/auth).',
  ],
  seam: 'TokenService (global Nest provider of @remedy/auth: sessions, refresh, the access-token guard) ← katas/m-2-long-lived-jwt.flawed.ts LegacyTokenService',
  flawsPutBack: {
    '24 h access token': "JWT_ACCESS_TTL_SECONDS=86400: the review's lifetime, with refresh tokens kept",
    'refresh rotation off':
      'a refresh-token store that never marks a token used (katas NeverSpentRefreshTokenStore in AUTH_OPTIONS), so a copy keeps working',
  },
  metric: { name: 'longest time a stolen credential still works', unit: 's', better: 'lower' },
  measure,
  flawed: (seconds) => seconds >= 86_399,
  remediated: (seconds) => seconds <= 3_600,
});
