import { HttpException, HttpStatus } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /**
   * How long an attempt may wait for a free check slot (see `verify`) before it is refused with 429.
   * Default 15 s, the HTTP request deadline.
   */
  admissionTimeoutMs?: number;
  /** A check slot held longer than this (a process that died mid-check) is given back. Default 30 s. */
  slotLeaseMs?: number;
}

export interface LoginAttempt {
  /** The account identifier as typed (e-mail, staff id); normalised to lower case and hashed for the key. */
  account: string;
  /** The client's address. */
  address: string;
}

/** 429: the caller must wait `retryAfterSeconds` (send it as `Retry-After`) before trying again. */
export class LoginThrottledError extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    reason = `too many failed login attempts; try again in ${retryAfterSeconds} seconds`,
  ) {
    super({ message: reason, details: [] }, HttpStatus.TOO_MANY_REQUESTS);
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
 * Per key (account, address): a hash with the start of the fixed window, the failures in it and
 * locked-until, and a sorted set of the checks in flight (ticket → lease end). A check is admitted only while
 * failures + checks in flight stay under the limit, so however many guesses arrive at once, no more
 * passwords are checked than the limit allows: counting failures only after the (slow) check let 23 to 68
 * of 200 parallel guesses through.
 * KEYS: account hash, account slots, address hash, address slots.
 * ARGV: now, ticket, lease ms, account window ms, account max, address window ms, address max.
 * Returns locked-until (ms) when a key is locked, -1 when every slot is taken, 0 when admitted.
 */
const ADMIT_LUA = `
local now = tonumber(ARGV[1])
local lockedUntil = 0
local full = false
for i = 0, 1 do
  local state = redis.call('HMGET', KEYS[1 + 2 * i], 'start', 'count', 'until')
  local start = tonumber(state[1])
  local count = tonumber(state[2]) or 0
  local untilMs = tonumber(state[3]) or 0
  if untilMs > now then lockedUntil = math.max(lockedUntil, untilMs) end
  if (not start) or now - start >= tonumber(ARGV[4 + 2 * i]) then count = 0 end
  redis.call('ZREMRANGEBYSCORE', KEYS[2 + 2 * i], '-inf', now)
  if count + redis.call('ZCARD', KEYS[2 + 2 * i]) >= tonumber(ARGV[5 + 2 * i]) then full = true end
end
if lockedUntil > 0 then return lockedUntil end
if full then return -1 end
for i = 0, 1 do
  redis.call('ZADD', KEYS[2 + 2 * i], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('PEXPIRE', KEYS[2 + 2 * i], tonumber(ARGV[3]) + 60000)
end
return 0`;

/*
 * Ends an admitted check: frees its slots, then counts a failure on both keys (reaching the limit locks the
 * key), clears the account's failures on a success, or counts nothing when the check itself broke.
 * KEYS as ADMIT_LUA. ARGV: now, ticket, outcome ('failure' | 'success' | 'abandoned'), then per key
 * window ms, max, lockout ms (account first).
 */
const SETTLE_LUA = `
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
if ARGV[3] == 'success' then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'start', now, 'count', 0) end
  return 0
end
if ARGV[3] ~= 'failure' then return 0 end
for i = 0, 1 do
  local key = KEYS[1 + 2 * i]
  local window = tonumber(ARGV[4 + 3 * i])
  local max = tonumber(ARGV[5 + 3 * i])
  local lockout = tonumber(ARGV[6 + 3 * i])
  local state = redis.call('HMGET', key, 'start', 'count', 'until')
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
  redis.call('HSET', key, 'start', start, 'count', count, 'until', lockedUntil)
  redis.call('PEXPIRE', key, math.max(window, lockedUntil - now) + 60000)
end
return 0`;

type CheckOutcome = 'failure' | 'success' | 'abandoned';

// A refused slot is asked for again after 10-40 ms: short against a 30-50 ms password hash, and jittered so
// waiting attempts do not retry in lockstep.
const SLOT_POLL_MIN_MS = 10;
const SLOT_POLL_SPREAD_MS = 30;

/**
 * Login rate limiting per account and per client address, shared across instances through Redis. Wrap the
 * account lookup and password check in `verify`: a locked key is refused before the check, even with the
 * right password, so a guessing run cannot confirm a hit.
 */
export class LoginThrottle {
  private readonly keyPrefix: string;
  private readonly perAccount: LoginLimit;
  private readonly perAddress: LoginLimit;
  private readonly clock: () => number;
  private readonly admissionTimeoutMs: number;
  private readonly slotLeaseMs: number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.keyPrefix = options.keyPrefix ?? 'login-throttle:';
    this.perAccount = options.perAccount ?? DEFAULT_ACCOUNT_LOGIN_LIMIT;
    this.perAddress = options.perAddress ?? DEFAULT_ADDRESS_LOGIN_LIMIT;
    this.clock = options.clock ?? Date.now;
    this.admissionTimeoutMs = options.admissionTimeoutMs ?? 15_000;
    this.slotLeaseMs = options.slotLeaseMs ?? 30_000;
  }

  /**
   * Runs `check` (find the account, verify the password; `undefined` means the credentials were wrong) once
   * the attempt is admitted, and returns its result. Throws LoginThrottledError while the account or the
   * address is locked. Checks in flight count against the limit: with 3 failures of 5 on an account, 2 may
   * run at once and the rest wait for one to end, so parallel sign-ins of one account all get through while
   * parallel guesses get exactly the limit. A check that throws is not counted.
   */
  async verify<T>(attempt: LoginAttempt, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const keys = this.keys(attempt);
    const ticket = randomUUID();
    await this.admit(keys, ticket);
    let outcome: CheckOutcome = 'abandoned';
    try {
      const result = await check();
      outcome = result === undefined ? 'failure' : 'success';
      return result;
    } finally {
      await this.settle(keys, ticket, outcome);
    }
  }

  private async admit(keys: SlotKeys, ticket: string): Promise<void> {
    const deadline = performance.now() + this.admissionTimeoutMs;
    for (;;) {
      const now = this.clock();
      const answer = Number(
        await this.options.redis.eval(
          ADMIT_LUA,
          4,
          ...keys,
          now,
          ticket,
          this.slotLeaseMs,
          this.perAccount.windowSeconds * 1000,
          this.perAccount.maxFailures,
          this.perAddress.windowSeconds * 1000,
          this.perAddress.maxFailures,
        ),
      );
      if (answer === 0) return;
      if (answer > 0) throw new LoginThrottledError(Math.ceil((answer - now) / 1000));
      if (performance.now() >= deadline) {
        throw new LoginThrottledError(1, 'too many login attempts in progress for this account or address');
      }
      await sleep(SLOT_POLL_MIN_MS + Math.random() * SLOT_POLL_SPREAD_MS);
    }
  }

  private async settle(keys: SlotKeys, ticket: string, outcome: CheckOutcome): Promise<void> {
    const limits = [this.perAccount, this.perAddress].flatMap((limit) => [
      limit.windowSeconds * 1000,
      limit.maxFailures,
      limit.lockoutSeconds * 1000,
    ]);
    await this.options.redis.eval(SETTLE_LUA, 4, ...keys, this.clock(), ticket, outcome, ...limits);
  }

  private keys(attempt: LoginAttempt): SlotKeys {
    const account = createHash('sha256').update(attempt.account.trim().toLowerCase()).digest('hex');
    const accountKey = `${this.keyPrefix}account:${account}`;
    const addressKey = `${this.keyPrefix}address:${attempt.address}`;
    return [accountKey, `${accountKey}:checks`, addressKey, `${addressKey}:checks`];
  }
}

/** Account hash, account checks in flight, address hash, address checks in flight. */
type SlotKeys = [string, string, string, string];
