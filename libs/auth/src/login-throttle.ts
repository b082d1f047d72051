import { HttpException, HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** `maxFailures` failed logins within `windowSeconds` lock the key for `lockoutSeconds`. */
export interface LoginLimit {
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

export interface LoginThrottleOptions {
  /** Shared by every instance; a non-evicting Redis, or an eviction could lift a lockout early. */
  redis: Redis;
  /** Key namespace under the client's own keyPrefix. Default `login-throttle:`. */
  keyPrefix?: string;
  /** Default: 5 failures in 15 min lock the account for 15 min. */
  perAccount?: LoginLimit;
  /** Default: 50 failures in 15 min lock the address for 15 min (a password spray across accounts). */
  perAddress?: LoginLimit;
  /** Milliseconds since the epoch; tests move it to end a lockout without waiting. */
  clock?: () => number;
}

export interface LoginAttempt {
  /** The account identifier as typed (e-mail, staff id); normalised to lower case and hashed for the key. */
  account: string;
  /** The client's address. */
  address: string;
}

/** 429: the caller must wait `retryAfterSeconds` (send it as `Retry-After`) before trying again. */
export class LoginThrottledError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        message: `too many failed login attempts; try again in ${retryAfterSeconds} seconds`,
        details: [],
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export const DEFAULT_ACCOUNT_LOGIN_LIMIT: LoginLimit = {
  maxFailures: 5,
  windowSeconds: 900,
  lockoutSeconds: 900,
};
export const DEFAULT_ADDRESS_LOGIN_LIMIT: LoginLimit = {
  maxFailures: 50,
  windowSeconds: 900,
  lockoutSeconds: 900,
};

/*
 * One hash per key: start of the fixed window, failures in it, locked-until. Atomic in Redis, so concurrent
 * failures on any number of instances are all counted (200 parallel wrong passwords lock after the 5th).
 * Returns locked-until (ms, 0 when not locked).
 */
const RECORD_FAILURE_LUA = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local lockout = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'start', 'count', 'until')
local start = tonumber(state[1])
local count = tonumber(state[2]) or 0
local lockedUntil = tonumber(state[3]) or 0
if (not start) or now - start >= window then
  start = now
  count = 0
end
count = count + 1
if count >= max then
  lockedUntil = now + lockout
  start = now
  count = 0
end
redis.call('HSET', KEYS[1], 'start', start, 'count', count, 'until', lockedUntil)
redis.call('PEXPIRE', KEYS[1], math.max(window, lockedUntil - now) + 60000)
return lockedUntil`;

/**
 * Login rate limiting per account and per client address, shared across instances through Redis. Ask
 * `assertAllowed` before checking the password (a locked key is refused even with the right password, so
 * a guessing run cannot confirm a hit), then report the outcome with `recordFailure` / `recordSuccess`.
 */
export class LoginThrottle {
  private readonly keyPrefix: string;
  private readonly perAccount: LoginLimit;
  private readonly perAddress: LoginLimit;
  private readonly clock: () => number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.keyPrefix = options.keyPrefix ?? 'login-throttle:';
    this.perAccount = options.perAccount ?? DEFAULT_ACCOUNT_LOGIN_LIMIT;
    this.perAddress = options.perAddress ?? DEFAULT_ADDRESS_LOGIN_LIMIT;
    this.clock = options.clock ?? Date.now;
  }

  /** Throws LoginThrottledError while the account or the address is locked. */
  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    const [accountUntil, addressUntil] = await Promise.all(
      this.keys(attempt).map((key) => this.options.redis.hget(key, 'until')),
    );
    const lockedUntil = Math.max(Number(accountUntil ?? 0), Number(addressUntil ?? 0));
    const waitMs = lockedUntil - this.clock();
    if (waitMs > 0) throw new LoginThrottledError(Math.ceil(waitMs / 1000));
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const now = this.clock();
    const [accountKey, addressKey] = this.keys(attempt);
    await Promise.all([
      this.fail(accountKey, now, this.perAccount),
      this.fail(addressKey, now, this.perAddress),
    ]);
  }

  /** A good password clears the account's failures; the address keeps its count (a spray may succeed once). */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.options.redis.del(this.keys(attempt)[0]);
  }

  private async fail(key: string, now: number, limit: LoginLimit): Promise<void> {
    await this.options.redis.eval(
      RECORD_FAILURE_LUA,
      1,
      key,
      now,
      limit.windowSeconds * 1000,
      limit.maxFailures,
      limit.lockoutSeconds * 1000,
    );
  }

  private keys(attempt: LoginAttempt): [string, string] {
    const account = createHash('sha256').update(attempt.account.trim().toLowerCase()).digest('hex');
    return [`${this.keyPrefix}account:${account}`, `${this.keyPrefix}address:${attempt.address}`];
  }
}
