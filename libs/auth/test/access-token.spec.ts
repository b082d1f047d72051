import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { AccessTokenCodec, type AccessTokenSettings } from '../src/access-token.js';
import { InvalidAccessTokenError } from '../src/auth-errors.js';
import { TestClock } from './support/test-clock.js';

const SECRET = 'access-secret-access-secret-access-secret';
const alice = { id: 'user-alice', role: 'attendee' };

function codec(clock: TestClock, overrides: Partial<AccessTokenSettings> = {}): AccessTokenCodec {
  return new AccessTokenCodec({
    secret: SECRET,
    issuer: 'remedy-test',
    audience: 'remedy-api',
    ttlSeconds: 900,
    clock: clock.now,
    ...overrides,
  });
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed with the right secret, whatever its header and claims say: what a forger would try. */
function forged(header: Record<string, unknown>, claims: Record<string, unknown>, secret = SECRET): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

type Claims = {
  sub: string;
  role: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
};

function validClaims(clock: TestClock): Claims {
  const now = Math.floor(clock.now() / 1000);
  return { sub: alice.id, role: alice.role, iss: 'remedy-test', aud: 'remedy-api', iat: now, exp: now + 900 };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('the token was accepted'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(InvalidAccessTokenError);
  return error;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('AccessTokenCodec', () => {
  test('imports the HMAC secret once, not once per token signed or verified', async () => {
    const importKey = jest.spyOn(crypto.subtle, 'importKey');
    const clock = new TestClock();
    const tokens = codec(clock);
    const token = await tokens.sign(alice);
    for (let i = 0; i < 20; i += 1) await expect(tokens.verify(token)).resolves.toEqual(alice);
    expect(importKey.mock.calls.length).toBeLessThanOrEqual(1);
  });

  test('verifies on the calling thread with node:crypto, not as a WebCrypto job per token', async () => {
    const clock = new TestClock();
    const tokens = codec(clock);
    const token = await tokens.sign(alice);
    const webCryptoVerify = jest.spyOn(crypto.subtle, 'verify');
    const webCryptoSign = jest.spyOn(crypto.subtle, 'sign');
    for (let i = 0; i < 20; i += 1) await expect(tokens.verify(token)).resolves.toEqual(alice);
    expect(webCryptoVerify.mock.calls.length + webCryptoSign.mock.calls.length).toBe(0);
  });

  test('accepts what it signed, and a forged token with exactly the same claims and header', async () => {
    const clock = new TestClock();
    const tokens = codec(clock);
    await expect(tokens.verify(await tokens.sign(alice))).resolves.toEqual(alice);
    const same = forged({ alg: 'HS256', typ: 'JWT' }, validClaims(clock));
    await expect(tokens.verify(same)).resolves.toEqual(alice);
  });

  test.each([
    [
      'alg none, no signature',
      () => `${base64url({ alg: 'none' })}.${base64url({ sub: 'x', role: 'organiser' })}.`,
    ],
    ['alg none with an HS256 signature', (c: TestClock) => forged({ alg: 'none' }, validClaims(c))],
    ['alg HS512 keyed with the same secret', (c: TestClock) => forged({ alg: 'HS512' }, validClaims(c))],
    ['alg RS256 (key confusion)', (c: TestClock) => forged({ alg: 'RS256' }, validClaims(c))],
    ['no alg', (c: TestClock) => forged({ typ: 'JWT' }, validClaims(c))],
    [
      'an unknown critical header',
      (c: TestClock) => forged({ alg: 'HS256', crit: ['exp2'], exp2: 1 }, validClaims(c)),
    ],
    ['b64: false', (c: TestClock) => forged({ alg: 'HS256', b64: false, crit: ['b64'] }, validClaims(c))],
  ])('refuses a token with %s', async (_label, make) => {
    const clock = new TestClock();
    await rejection(codec(clock).verify(make(clock)));
  });

  test('refuses a token signed with another secret, and one whose payload was changed after signing', async () => {
    const clock = new TestClock();
    const tokens = codec(clock);
    const other = forged(
      { alg: 'HS256' },
      validClaims(clock),
      'another-secret-another-secret-another-secret',
    );
    expect((await rejection(tokens.verify(other))).message).toContain('signature');
    const [header, , signature] = (await tokens.sign(alice)).split('.');
    const promoted = `${header}.${base64url({ ...validClaims(clock), role: 'organiser' })}.${signature}`;
    expect((await rejection(tokens.verify(promoted))).message).toContain('signature');
  });

  test.each([
    ['expired', (claims: Claims) => ({ ...claims, exp: claims.iat - 1 }), 'expired'],
    ['not yet valid (nbf)', (claims: Claims) => ({ ...claims, nbf: claims.iat + 60 }), 'nbf claim'],
    ['another issuer', (claims: Claims) => ({ ...claims, iss: 'somebody-else' }), 'iss claim'],
    ['no issuer', ({ iss: _iss, ...claims }: Claims) => claims, 'iss claim'],
    ['another audience', (claims: Claims) => ({ ...claims, aud: 'another-api' }), 'aud claim'],
    ['an audience list without ours', (claims: Claims) => ({ ...claims, aud: ['a', 'b'] }), 'aud claim'],
    ['no subject', ({ sub: _sub, ...claims }: Claims) => claims, 'sub'],
    ['no expiry', ({ exp: _exp, ...claims }: Claims) => claims, 'exp'],
    ['no issued-at', ({ iat: _iat, ...claims }: Claims) => claims, 'iat'],
    ['a string expiry', (claims: Claims) => ({ ...claims, exp: String(claims.exp) }), 'exp'],
    ['no role', ({ role: _role, ...claims }: Claims) => claims, 'role'],
  ])('refuses a correctly signed token that is %s', async (_label, change, reason) => {
    const clock = new TestClock();
    const error = await rejection(codec(clock).verify(forged({ alg: 'HS256' }, change(validClaims(clock)))));
    expect(error.message).toContain(reason);
  });

  test('accepts an audience list that includes ours', async () => {
    const clock = new TestClock();
    const token = forged({ alg: 'HS256' }, { ...validClaims(clock), aud: ['other', 'remedy-api'] });
    await expect(codec(clock).verify(token)).resolves.toEqual(alice);
  });

  test.each(['not-a-jwt', 'a.b.c', '..', `${base64url({ alg: 'HS256' })}.not-json.`, ''])(
    'refuses malformed input %j',
    async (token) => {
      await rejection(codec(new TestClock()).verify(token));
    },
  );

  test('a token is valid through its last second and refused once exp is reached', async () => {
    const clock = new TestClock();
    const tokens = codec(clock);
    const token = await new SignJWT({ role: 'attendee' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(alice.id)
      .setIssuer('remedy-test')
      .setAudience('remedy-api')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 10)
      .sign(new TextEncoder().encode(SECRET));
    clock.advanceSeconds(9);
    await expect(tokens.verify(token)).resolves.toEqual(alice);
    clock.advanceSeconds(1);
    expect((await rejection(tokens.verify(token))).message).toContain('expired');
  });
});
