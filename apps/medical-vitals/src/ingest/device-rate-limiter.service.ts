import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import type { TokenLease } from './token-lease.js';

/**
 * Token bucket per device, in Redis so that it holds across instances and reconnects (V-17). Refills at
 * `rate` tokens per second up to `burst`. Takes between `need` and `want` tokens: all that is there up to
 * `want`, when at least `need` is. Returns { tokens taken, 0 } or { 0, milliseconds until `need` tokens will
 * be there }.
 */
const LEASE_TOKENS = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local taken = 0
local wait = 0
if tokens >= need then
  taken = math.min(want, math.floor(tokens))
  tokens = tokens - taken
else
  wait = math.ceil((need - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return { taken, wait }`;

type RedisWithBucket = Redis & {
  vitalsLeaseTokens(
    key: string,
    rate: number,
    burst: number,
    need: number,
    want: number,
  ): Promise<[number, number]>;
};

/**
 * The per-device limit. A socket takes its device's tokens from the shared bucket a lease at a time
 * (DEVICE_RATE_LEASE, by default a second's worth of the default rate) and spends them locally: a device
 * sending once a second costs one Redis round trip per lease, not one per message. Every token spent was
 * taken from the bucket, so the rate holds across instances and reconnects; the price is that a socket may
 * pass its unspent lease on top of a full bucket (at most `burst + lease` readings at once), and a lease
 * still held when its socket closes is lost to the device (the bucket refills it within lease / rate).
 */
@Injectable()
export class DeviceRateLimiter implements OnModuleInit {
  private readonly logger = new Logger(DeviceRateLimiter.name);
  private readonly redis: RedisWithBucket;
  private readonly rate: number;
  private readonly burst: number;
  private readonly leaseTokens: number;

  constructor(
    @Inject(REDIS_CLIENTS) clients: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = clients.cache as RedisWithBucket;
    this.rate = config.ingest.ratePerSecond;
    this.burst = config.ingest.rateBurst;
    this.leaseTokens = config.ingest.rateLease;
  }

  onModuleInit(): void {
    // defineCommand is per client; both services share the cache client, each defines its own command once.
    if (typeof (this.redis as Partial<RedisWithBucket>).vitalsLeaseTokens !== 'function') {
      this.redis.defineCommand('vitalsLeaseTokens', { numberOfKeys: 1, lua: LEASE_TOKENS });
    }
  }

  /**
   * 0 when `readings` may pass now, paid from `lease` (topped up from the bucket when it holds too few);
   * otherwise how long to wait before retrying. Fails open: while Redis is unreachable readings pass
   * unlimited (and the failure is logged), because dropping vital signs is worse than a brief loss of flood
   * protection.
   */
  async take(deviceId: string, readings: number, lease: TokenLease): Promise<number> {
    if (readings > this.burst) return Math.ceil((readings * 1000) / this.rate);
    if (lease.held >= readings) {
      lease.held -= readings;
      return 0;
    }
    const need = readings - lease.held;
    try {
      const [taken, waitMs] = await this.redis.vitalsLeaseTokens(
        this.keys.deviceRateBucket(deviceId),
        this.rate,
        this.burst,
        need,
        Math.max(need, this.leaseTokens),
      );
      if (waitMs > 0) return waitMs;
      lease.held += taken - readings;
      return 0;
    } catch (error) {
      this.logger.warn(`rate limit unavailable, letting readings through: ${String(error)}`);
      return 0;
    }
  }
}
