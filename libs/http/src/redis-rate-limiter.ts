import { HttpException, HttpStatus } from '@nestjs/common';

/** The one Redis command the limiter needs; an ioredis client (with or without a keyPrefix) fits. */
export interface RateLimitRedis {
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RateLimit {
  /** Requests a key may make per window. */
  requests: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests left in the current window (0 once refused). */
  remaining: number;
  /** Seconds until the window ends: the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
}

/** 429 with the wait the limiter computed; ApiErrorFilter sends it as `Retry-After`. */
export class RateLimitExceededError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      { message: `rate limit exceeded; try again in ${retryAfterSeconds} seconds`, details: [] },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * 503 when the limiter's Redis refuses or fails (full without eviction, unreachable): the request can be neither
 * counted nor safely let through unbounded, and the caller learns it is the service's state, not its own fault.
 */
export class RateLimiterUnavailableError extends HttpException {
  readonly retryAfterSeconds = 1;

  constructor() {
    super(
      { message: 'rate limiter unavailable; try again shortly', details: [] },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/*
 * One counter per key, its window opened by the first request and closed by the key's expiry, counted in one
 * atomic script so instances sharing the Redis never admit more than the limit between them. A refused request
 * still counts but does not extend the window, so a client hammering past the limit is let back in on time.
 * KEYS: the counter. ARGV: window ms. Returns { count including this request, ms left in the window }.
 */
const CONSUME_LUA = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/**
 * A request limit per key (a user id, an address) shared by every instance through Redis: exactly `requests`
 * per window pass however the requests spread over instances. Use a Redis that does not evict (an evicted
 * counter would reopen the window early).
 */
export class RedisRateLimiter {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RateLimitRedis,
    private readonly limit: RateLimit,
    options: { keyPrefix?: string } = {},
  ) {
    if (!Number.isInteger(limit.requests) || limit.requests < 1) {
      throw new Error(`rate limit requests must be a positive integer (got ${limit.requests})`);
    }
    if (!Number.isInteger(limit.windowSeconds) || limit.windowSeconds < 1) {
      throw new Error(
        `rate limit window must be a positive whole number of seconds (got ${limit.windowSeconds})`,
      );
    }
    this.keyPrefix = options.keyPrefix ?? 'rate-limit:';
  }

  async consume(key: string): Promise<RateLimitDecision> {
    let answer: [number, number];
    try {
      answer = (await this.redis.eval(
        CONSUME_LUA,
        1,
        `${this.keyPrefix}${key}`,
        this.limit.windowSeconds * 1000,
      )) as [number, number];
    } catch {
      throw new RateLimiterUnavailableError();
    }
    const [count, msLeft] = answer.map(Number) as [number, number];
    return {
      allowed: count <= this.limit.requests,
      remaining: Math.max(0, this.limit.requests - count),
      retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
    };
  }
}
