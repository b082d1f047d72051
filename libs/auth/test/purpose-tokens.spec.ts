import { describe, expect, test } from '@jest/globals';
import { PurposeTokenError, PurposeTokens } from '../src/index.js';
import { TestClock } from './support/test-clock.js';

const SECRET = 'qr-secret-qr-secret-qr-secret-qr-secret';

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PurposeTokenError);
  return (error as PurposeTokenError).reason;
}

describe('PurposeTokens', () => {
  const clock = new TestClock();
  const tokens = new PurposeTokens({ secret: SECRET, issuer: 'remedy-test', clock: clock.now });

  test('round-trips its claims for the same purpose', async () => {
    const token = await tokens.sign('checkin', { registrationId: 'r-1', eventId: 'e-1' }, 60);
    await expect(tokens.verify('checkin', token)).resolves.toEqual({ registrationId: 'r-1', eventId: 'e-1' });
  });

  test('a token for another purpose is refused', async () => {
    const token = await tokens.sign('password-reset', { userId: 'u-1' }, 60);
    expect(await failure(tokens.verify('checkin', token))).toBe('wrong-purpose');
  });

  test('a token signed with another secret is refused as forged', async () => {
    const forger = new PurposeTokens({ secret: 'forged-secret-forged-secret-forged', issuer: 'remedy-test' });
    const token = await forger.sign('checkin', { registrationId: 'r-1' }, 60);
    expect(await failure(tokens.verify('checkin', token))).toBe('bad-signature');
  });

  test('an edited payload breaks the signature', async () => {
    const token = await tokens.sign('checkin', { registrationId: 'r-1' }, 60);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ registrationId: 'r-2', aud: 'checkin', iss: 'remedy-test', exp: 9e9 }),
    ).toString('base64url');
    expect(await failure(tokens.verify('checkin', `${header}.${payload}.${signature}`))).toBe(
      'bad-signature',
    );
  });

  test('an expired token is refused', async () => {
    const local = new TestClock();
    const expiring = new PurposeTokens({ secret: SECRET, issuer: 'remedy-test', clock: local.now });
    const token = await expiring.sign('checkin', { registrationId: 'r-1' }, 60);
    local.advanceSeconds(61);
    expect(await failure(expiring.verify('checkin', token))).toBe('expired');
  });

  test('garbage is malformed, and reserved claims cannot be set', async () => {
    expect(await failure(tokens.verify('checkin', 'abc'))).toBe('malformed');
    await expect(tokens.sign('checkin', { exp: 1 }, 60)).rejects.toThrow('reserved');
  });
});
