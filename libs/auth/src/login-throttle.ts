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
 * One hash per key: start of the fixed window, attempts in it, locked-until. KEYS are the account's and the
 * address's hashes, ARGV per key (window, max, lockout) after `now`. Atomic in Redis: while either key is
 * locked nothing is counted and locked-until is returned; otherwise the attempt is counted on both keys
 * *before* the password is checked, and the attempt that reaches a key's max locks it. Counting on admission
 * (not on failure) is what keeps 200 parallel guesses to the limit: each one is counted before any of them
 * has been answered. Returns 0 when admitted.
 */
const ADMIT_LUA = `
local now = tonumber(ARGV[1])
local lockedUntil = 0
for i = 1, #KEYS do
  local until_ = tonumber(redis.call('HGET', KEYS[i], 'until')) or 0
  if until_ > now and until_ > lockedUntil then lockedUntil = until_ end
end
if lockedUntil > 0 then return lockedUntil end
for i = 1, #KEYS do
  local window = tonumber(ARGV[i * 3 - 1])
  local max = tonumber(ARGV[i * 3])
  local lockout = tonumber(ARGV[i * 3 + 1])
  local state = redis.call('HMGET', KEYS[i], 'start', 'count')
  local start = tonumber(state[1])
  local count = tonumber(state[2]) or 0
  local until_ = 0
  if (not start) or now - start >= window then
    start = now
    count = 0
  end
  count = count + 1
  if count >= max then
    until_ = now + lockout
    start = now
    count = 0
  end
  redis.call('HSET', KEYS[i], 'start', start, 'count', count, 'until', until_)
  redis.call('PEXPIRE', KEYS[i], math.max(window, until_ - now) + 60000)
end
return 0`;

/* A good password gives the address back the attempt it was charged on admission. */
const REFUND_ADDRESS_LUA = `
local count = tonumber(redis.call('HGET', KEYS[1], 'count')) or 0
if count > 0 then redis.call('HINCRBY', KEYS[1], 'count', -1) end
return 0`;

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

  /**
   * Counts this attempt against the account and the address, or throws LoginThrottledError while either is
   * locked. Call it before checking the password (a locked key is refused even with the right password, so a
   * guessing run cannot confirm a hit).
   */
  async admit(attempt: LoginAttempt): Promise<void> {
    const now = this.clock();
    const lockedUntil = Number(
      await this.options.redis.eval(
        ADMIT_LUA,
        2,
        ...this.keys(attempt),
        now,
        ...limitArguments(this.perAccount),
        ...limitArguments(this.perAddress),
      ),
    );
    if (lockedUntil > 0) throw new LoginThrottledError(Math.ceil((lockedUntil - now) / 1000));
  }

  /**
   * A good password clears the account's attempts; the address only gets this attempt back (it keeps the
   * rest of its count: a spray over many accounts may succeed once).
   */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    const [accountKey, addressKey] = this.keys(attempt);
    await Promise.all([
      this.options.redis.del(accountKey),
      this.options.redis.eval(REFUND_ADDRESS_LUA, 1, addressKey),
    ]);
  }

  private keys(attempt: LoginAttempt): [string, string] {
    const account = createHash('sha256').update(attempt.account.trim().toLowerCase()).digest('hex');
    return [`${this.keyPrefix}account:${account}`, `${this.keyPrefix}address:${attempt.address}`];
  }
}

function limitArguments(limit: LoginLimit): number[] {
  return [limit.windowSeconds * 1000, limit.maxFailures, limit.lockoutSeconds * 1000];
}
