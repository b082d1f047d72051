import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import {
  InvalidAccessTokenError,
  InvalidRefreshTokenError,
  PgRefreshTokenStore,
  RefreshTokenReusedError,
  TokenService,
} from '../src/index.js';
import { resolveAuthOptions, type AuthModuleOptions } from '../src/auth-options.js';
import { authHarness } from './support/auth-harness.js';
import { TestClock } from './support/test-clock.js';

const ctx = useTestContext(authHarness);
const SECRET = 'access-secret-access-secret-access-secret';

function tokenService(clock: TestClock, overrides: Partial<AuthModuleOptions> = {}): TokenService {
  return new TokenService(
    resolveAuthOptions({
      accessTokenSecret: SECRET,
      issuer: 'remedy-test',
      audience: 'remedy-api',
      refreshTokenStore: new PgRefreshTokenStore(ctx.pool),
      clock: clock.now,
      ...overrides,
    }),
  );
}

const alice = { id: 'user-alice', role: 'attendee' };

describe('access tokens', () => {
  test('verify until the 15 minute TTL, then fail as expired', async () => {
    const clock = new TestClock();
    const tokens = tokenService(clock);
    const session = await tokens.startSession(alice);
    expect(session.expiresIn).toBe(900);
    await expect(tokens.verifyAccessToken(session.accessToken)).resolves.toEqual(alice);
    clock.advanceSeconds(899);
    await expect(tokens.verifyAccessToken(session.accessToken)).resolves.toEqual(alice);
    clock.advanceSeconds(2);
    await expect(tokens.verifyAccessToken(session.accessToken)).rejects.toThrow('access token expired');
  });

  test.each([
    ['another secret', { accessTokenSecret: 'another-secret-another-secret-another-secret' }, 'signature'],
    ['another issuer', { issuer: 'somebody-else' }, 'iss claim'],
    ['another audience', { audience: 'another-api' }, 'aud claim'],
  ])('a token signed with %s is rejected', async (_label, overrides, reason) => {
    const clock = new TestClock();
    const foreign = await tokenService(clock, overrides).startSession(alice);
    const error = await tokenService(clock)
      .verifyAccessToken(foreign.accessToken)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAccessTokenError);
    expect((error as Error).message).toContain(reason);
  });

  test('garbage and an unsigned (alg none) token are rejected', async () => {
    const tokens = tokenService(new TestClock());
    await expect(tokens.verifyAccessToken('not-a-jwt')).rejects.toThrow('malformed');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'organiser' })).toString('base64url');
    await expect(tokens.verifyAccessToken(`${header}.${body}.`)).rejects.toBeInstanceOf(
      InvalidAccessTokenError,
    );
  });

  test('a secret shorter than 32 characters is refused at start-up', () => {
    expect(() => tokenService(new TestClock(), { accessTokenSecret: 'short' })).toThrow('at least 32');
  });
});

describe('refresh token rotation', () => {
  test('each rotation returns a new pair for the same user and spends the old refresh token', async () => {
    const tokens = tokenService(new TestClock());
    const first = await tokens.startSession(alice);
    const second = await tokens.rotate(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(tokens.verifyAccessToken(second.accessToken)).resolves.toEqual(alice);
    const third = await tokens.rotate(second.refreshToken);
    await expect(tokens.verifyAccessToken(third.accessToken)).resolves.toEqual(alice);
  });

  test('reusing a spent refresh token revokes the whole family', async () => {
    const tokens = tokenService(new TestClock());
    const first = await tokens.startSession(alice);
    const second = await tokens.rotate(first.refreshToken);
    await expect(tokens.rotate(first.refreshToken)).rejects.toBeInstanceOf(RefreshTokenReusedError);
    // The legitimate holder's newer token dies with the family: both parties must log in again.
    await expect(tokens.rotate(second.refreshToken)).rejects.toThrow('revoked');
    const other = await tokens.startSession(alice);
    await expect(tokens.rotate(other.refreshToken)).resolves.toBeDefined();
  });

  test('concurrent rotations of one token: exactly one wins', async () => {
    const tokens = tokenService(new TestClock());
    const session = await tokens.startSession(alice);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => tokens.rotate(session.refreshToken)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  test('a refresh token expires after 7 days', async () => {
    const clock = new TestClock();
    const tokens = tokenService(clock);
    const session = await tokens.startSession(alice);
    clock.advanceSeconds(7 * 24 * 3600 + 1);
    await expect(tokens.rotate(session.refreshToken)).rejects.toThrow('invalid refresh token: expired');
  });

  test('forged and malformed refresh tokens are rejected', async () => {
    const tokens = tokenService(new TestClock());
    const session = await tokens.startSession(alice);
    const [id] = session.refreshToken.split('.');
    await expect(tokens.rotate(`${id}.forged-secret`)).rejects.toThrow('unknown');
    await expect(tokens.rotate('nonsense')).rejects.toBeInstanceOf(InvalidRefreshTokenError);
  });

  test('endSession revokes the family', async () => {
    const tokens = tokenService(new TestClock());
    const session = await tokens.startSession(alice);
    await tokens.endSession(session.refreshToken);
    await expect(tokens.rotate(session.refreshToken)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
  });
});
