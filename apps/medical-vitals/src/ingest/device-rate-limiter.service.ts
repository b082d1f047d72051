import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';

/**
 * Token bucket per device, in Redis so that it holds across instances and reconnects (V-17). Refills at
 * `rate` tokens per second up to `burst`; one reading costs one token. Returns 0 when the readings may
 * pass, else the milliseconds until enough tokens will be there.
 */
const TAKE_TOKENS = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait`;

type RedisWithBucket = Redis & {
  vitalsTakeTokens(key: string, rate: number, burst: number, cost: number): Promise<number>;
};

@Injectable()
export class DeviceRateLimiter implements OnModuleInit {
  private readonly logger = new Logger(DeviceRateLimiter.name);
  private readonly redis: RedisWithBucket;
  private readonly rate: number;
  private readonly burst: number;

  constructor(
    @Inject(REDIS_CLIENTS) clients: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = clients.cache as RedisWithBucket;
    this.rate = config.ingest.ratePerSecond;
    this.burst = config.ingest.rateBurst;
  }

  onModuleInit(): void {
    // defineCommand is per client; both services share the cache client, each defines its own command once.
    if (typeof (this.redis as Partial<RedisWithBucket>).vitalsTakeTokens !== 'function') {
      this.redis.defineCommand('vitalsTakeTokens', { numberOfKeys: 1, lua: TAKE_TOKENS });
    }
  }

  /**
   * 0 when `readings` may pass now; otherwise how long to wait before retrying. Fails open: while Redis is
   * unreachable readings pass unlimited (and the failure is logged), because dropping vital signs is worse
   * than a brief loss of flood protection.
   */
  async take(deviceId: string, readings: number): Promise<number> {
    if (readings > this.burst) return Math.ceil((readings * 1000) / this.rate);
    try {
      return await this.redis.vitalsTakeTokens(
        this.keys.deviceRateBucket(deviceId),
        this.rate,
        this.burst,
        readings,
      );
    } catch (error) {
      this.logger.warn(`rate limit unavailable, letting readings through: ${String(error)}`);
      return 0;
    }
  }
}
