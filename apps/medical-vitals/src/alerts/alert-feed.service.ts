import { Inject, Injectable } from '@nestjs/common';
import { currentTraceparent } from '@remedy/observability';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import type { ClearedAlert, RaisedAlert } from './alert.js';

/**
 * Appends alert events to `vitals:alerts`: an entry with `alert` when one is raised, one with `cleared` when
 * it ends. The /live push reads the stream in the instances' shared consumer group, so an open ward page
 * learns of both through its room on whichever instance it is connected to.
 */
@Injectable()
export class AlertFeed {
  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async raised(alert: RaisedAlert): Promise<void> {
    await this.append([['alert', JSON.stringify(alert)]]);
  }

  async cleared(alerts: readonly ClearedAlert[]): Promise<void> {
    await this.append(alerts.map((alert) => ['cleared', JSON.stringify(alert)]));
  }

  private async append(entries: ReadonlyArray<[field: 'alert' | 'cleared', json: string]>): Promise<void> {
    if (entries.length === 0) return;
    const traceparent = currentTraceparent();
    const pipeline = this.redis.cache.pipeline();
    for (const [field, json] of entries) {
      pipeline.xadd(
        this.keys.alertsStream,
        'MAXLEN',
        '~',
        this.config.writer.streamMaxLen,
        '*',
        field,
        json,
        'traceparent',
        traceparent,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  }
}
