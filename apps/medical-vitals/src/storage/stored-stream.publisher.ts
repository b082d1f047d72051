import { Inject, Injectable } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import type { StoredReading } from './stored-reading.js';

/** Appends one entry per flushed batch to `vitals:stored`, trimmed approximately to STREAM_MAX_LEN. */
@Injectable()
export class StoredStreamPublisher {
  private readonly maxLen: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxLen = config.writer.streamMaxLen;
  }

  async publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    await this.redis.cache.xadd(
      this.keys.storedStream,
      'MAXLEN',
      '~',
      this.maxLen,
      '*',
      'readings',
      JSON.stringify(readings),
      'traceparent',
      traceparent,
    );
  }
}
