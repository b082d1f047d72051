import { Inject, Injectable } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { LatestVitalsService } from '../latest-vitals/latest-vitals.service.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import { execPipeline } from './exec-pipeline.js';
import { StoredBatchListeners } from './stored-batch-listeners.js';
import type { StoredReading } from './stored-reading.js';

/**
 * What follows a batch's commit: the latest-vitals cache writes, then one entry on `vitals:stored` (trimmed
 * approximately to STREAM_MAX_LEN), in one pipelined round trip per batch; once Redis has both, the batch
 * goes to this process's listeners (the /live push), so a dashboard that gets a reading finds the cache
 * already updated. The stream is for the alert evaluator; the push does not wait on a consumer group.
 */
@Injectable()
export class StoredStreamPublisher {
  private readonly maxLen: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(LatestVitalsService) private readonly latest: LatestVitalsService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(StoredBatchListeners) private readonly listeners: StoredBatchListeners,
  ) {
    this.maxLen = config.writer.streamMaxLen;
  }

  async publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    const pipeline = this.redis.cache.pipeline();
    this.latest.queueRecord(pipeline, readings);
    pipeline.xadd(
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
    await execPipeline(pipeline);
    this.listeners.announce(readings, traceparent);
  }
}
