import { ProviderCallError } from './provider-call-error.js';

/** The Redis commands the bucket needs; an ioredis client (with or without a keyPrefix) fits. */
export interface BucketRedis {
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** One quota the provider enforces: `limit` units per fixed window of `windowMs`. */
export interface ProviderQuota {
  limit: number;
  windowMs: number;
}

export interface QuotaBudgetSettings {
  /** Names the buckets in Redis: every instance using the same name shares them. */
  engine: string;
  charactersPerMinute?: number;
  requestsPerSecond?: number;
  /**
   * Share of the budget that may go out at once (default 0.1). The provider counts in fixed windows we cannot
   * see, so the bucket keeps `capacity + refill × window ≤ budget` for any window: capacity = burst × budget,
   * refill = budget − capacity per window. Sustained throughput is (1 − burst) of the budget, never a 429.
   */
  burstShare?: number;
  /**
   * Share of each quota left unplanned (default 0.05): a call taken at the end of one of our windows may land
   * in the provider's next one.
   */
  safetyMargin?: number;
  /** How long a call may wait for tokens before it is handed to the other engine instead (default 1 s). */
  maxWaitMs?: number;
}

/** What a call to the provider must wait for, across every instance, before it may go out. */
export interface CallBudget {
  acquire(characters: number): Promise<void>;
}

/** No quota known (an engine without a configured budget). */
export const UNLIMITED_BUDGET: CallBudget = { acquire: () => Promise.resolve() };

/*
 * Token buckets in Redis, refilled from Redis's own clock (TIME) so instances with drifting clocks agree. All
 * buckets of a call are taken together or not at all. KEYS: one hash per bucket. ARGV: per bucket capacity,
 * refill per ms, cost. Returns 0 when taken, else the ms until every bucket holds its cost, or -1 when a cost
 * exceeds its bucket's capacity (it can never be taken).
 */
const TAKE_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local wait = 0
local levels = {}
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[i * 3 - 2])
  local refill = tonumber(ARGV[i * 3 - 1])
  local cost = tonumber(ARGV[i * 3])
  if cost > capacity then return -1 end
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - at) * refill)
  levels[i] = tokens
  if tokens < cost then wait = math.max(wait, math.ceil((cost - tokens) / refill)) end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[i * 3 - 2])
  local refill = tonumber(ARGV[i * 3 - 1])
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i] - tonumber(ARGV[i * 3])), 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(capacity / refill) + 1000)
end
return 0
`;

interface Bucket {
  key: string;
  capacity: number;
  refillPerMs: number;
  cost: (characters: number) => number;
}

/**
 * The provider's quotas as token buckets shared by every instance through Redis (polyglot-a:C-2): a call takes
 * its characters and one request before it goes out, waiting (at most `maxWaitMs`) while the buckets refill.
 * A call that would wait longer is refused with `rate-limited`, which hands it to the fallback engine instead
 * of spending the quota on retries the provider would refuse with 429.
 */
export class QuotaTokenBucket implements CallBudget {
  private readonly buckets: Bucket[];
  private readonly maxWaitMs: number;

  constructor(
    private readonly redis: BucketRedis,
    private readonly settings: QuotaBudgetSettings,
  ) {
    const burst = settings.burstShare ?? 0.1;
    const margin = settings.safetyMargin ?? 0.05;
    this.maxWaitMs = settings.maxWaitMs ?? 1_000;
    const bucket = (name: string, quota: ProviderQuota, cost: (characters: number) => number): Bucket => {
      const budget = Math.max(1, Math.floor(quota.limit * (1 - margin)));
      const capacity = Math.max(1, Math.floor(budget * burst));
      return {
        // One hash tag for all of an engine's buckets keeps them in one cluster slot for the script.
        key: `quota:{${settings.engine}}:${name}`,
        capacity,
        refillPerMs: Math.max(budget - capacity, 1) / quota.windowMs,
        cost,
      };
    };
    this.buckets = [
      ...(settings.charactersPerMinute === undefined
        ? []
        : [bucket('characters', { limit: settings.charactersPerMinute, windowMs: 60_000 }, (n) => n)]),
      ...(settings.requestsPerSecond === undefined
        ? []
        : [bucket('requests', { limit: settings.requestsPerSecond, windowMs: 1_000 }, () => 1)]),
    ];
  }

  async acquire(characters: number): Promise<void> {
    if (this.buckets.length === 0) return;
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const waitMs = await this.take(characters);
      if (waitMs === 0) return;
      if (waitMs < 0 || Date.now() + waitMs > deadline) {
        throw new ProviderCallError(
          this.settings.engine,
          'rate-limited',
          `quota budget spent: ${characters} characters would wait ${waitMs < 0 ? 'forever' : `${waitMs} ms`}`,
          waitMs < 0 ? undefined : Math.ceil(waitMs / 1_000),
        );
      }
      // The wait the buckets computed, not a guess: the tokens exist by then unless another instance took them.
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private async take(characters: number): Promise<number> {
    const args = this.buckets.flatMap((bucket) => [
      bucket.capacity,
      bucket.refillPerMs,
      bucket.cost(characters),
    ]);
    const keys = this.buckets.map((bucket) => bucket.key);
    return Number(await this.redis.eval(TAKE_LUA, keys.length, ...keys, ...args));
  }
}
