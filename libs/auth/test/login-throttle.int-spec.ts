import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { LoginThrottle, LoginThrottledError, type LoginAttempt } from '../src/index.js';
import { authHarness } from './support/auth-harness.js';

const ctx = useTestContext(authHarness);

/** A throttle with keys of its own under the test's Redis prefix, and a clock the test moves. */
function throttleUnderTest(options: { admissionTimeoutMs?: number } = {}) {
  let now = Date.now();
  const throttle = new LoginThrottle({
    redis: ctx.redis,
    keyPrefix: ctx.key(`login:${randomUUID()}:`),
    clock: () => now,
    ...options,
  });
  return { throttle, advance: (ms: number) => (now += ms) };
}

/** Runs `outcome` as the password check, holding it open until `gate` resolves, and counts the checks. */
function countingCheck<T>(gate: Promise<void>, outcome: T | undefined) {
  const counter = { checks: 0 };
  const check = async () => {
    counter.checks += 1;
    await gate;
    return outcome;
  };
  return { counter, check };
}

async function settledStatuses(attempts: Promise<unknown>[]): Promise<Record<string, number>> {
  const results = await Promise.allSettled(attempts);
  const tally: Record<string, number> = {};
  for (const result of results) {
    const label =
      result.status === 'fulfilled'
        ? result.value === undefined
          ? 'wrong'
          : 'signed in'
        : result.reason instanceof LoginThrottledError
          ? 'throttled'
          : String(result.reason);
    tally[label] = (tally[label] ?? 0) + 1;
  }
  return tally;
}

const target: LoginAttempt = { account: 'Target@Example.com', address: '203.0.113.7' };

describe('LoginThrottle', () => {
  test('200 parallel wrong passwords: exactly 5 are checked, the other 195 are refused unchecked', async () => {
    const { throttle } = throttleUnderTest();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { counter, check } = countingCheck(gate, undefined);
    // Every guess is in flight before any check ends: the case where counting failures after the check lets
    // dozens through.
    const guesses = Array.from({ length: 200 }, () => throttle.verify(target, check));
    while (counter.checks < 5) await new Promise((resolve) => setImmediate(resolve));
    open();
    expect(await settledStatuses(guesses)).toEqual({ wrong: 5, throttled: 195 });
    expect(counter.checks).toBe(5);
    await expect(throttle.verify(target, async () => 'right password')).rejects.toBeInstanceOf(
      LoginThrottledError,
    );
  });

  test('30 parallel sign-ins of one account with the right password all succeed, 5 at a time', async () => {
    const { throttle } = throttleUnderTest();
    let inFlight = 0;
    let mostInFlight = 0;
    const check = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { id: 'nurse' };
    };
    expect(await settledStatuses(Array.from({ length: 30 }, () => throttle.verify(target, check)))).toEqual({
      'signed in': 30,
    });
    expect(mostInFlight).toBeLessThanOrEqual(5);
  });

  test('a check that throws is not counted as a failure and frees its slot', async () => {
    const { throttle } = throttleUnderTest();
    for (let i = 0; i < 10; i += 1) {
      await expect(
        throttle.verify(target, async () => {
          throw new Error('database unavailable');
        }),
      ).rejects.toThrow('database unavailable');
    }
    expect(await throttle.verify(target, async () => 'signed in')).toBe('signed in');
  });

  test('4 failures then a success reset the account; the 5th failure after that locks it until the lockout ends', async () => {
    const { throttle, advance } = throttleUnderTest();
    const wrong = () => throttle.verify(target, async () => undefined);
    for (let i = 0; i < 4; i += 1) expect(await wrong()).toBeUndefined();
    expect(await throttle.verify(target, async () => 'signed in')).toBe('signed in');
    for (let i = 0; i < 5; i += 1) expect(await wrong()).toBeUndefined();
    const locked = await throttle.verify(target, async () => 'signed in').catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(LoginThrottledError);
    expect((locked as LoginThrottledError).retryAfterSeconds).toBe(900);
    advance(900_000);
    expect(await throttle.verify(target, async () => 'signed in')).toBe('signed in');
  });

  test('a slot held by a process that died is given back when its lease ends', async () => {
    const { throttle, advance } = throttleUnderTest({ admissionTimeoutMs: 0 });
    // Five checks that never end stand for a process killed mid-check: every slot of the account is taken.
    const never = new Promise<undefined>(() => undefined);
    for (let i = 0; i < 5; i += 1) void throttle.verify(target, () => never);
    await expect(throttle.verify(target, async () => 'signed in')).rejects.toMatchObject({
      message: 'too many login attempts in progress for this account or address',
    });
    advance(30_001);
    expect(await throttle.verify(target, async () => 'signed in')).toBe('signed in');
  });
});
