import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { RedisClients } from '@remedy/pooling';
import { AlertEvaluator } from '../src/alerts/alert-evaluator.service.js';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import { NotificationClient } from '../src/notifications/notification-client.service.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { REDIS_CLIENTS } from '../src/redis/redis.tokens.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { StoredBatchListeners } from '../src/storage/stored-batch-listeners.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';

/**
 * vitals:V-12, the original design: the Alert Service "detects and notifies via Pub/Sub" with nothing to
 * say it happens off the write path, so once a reading is stored the handler looks up the rules, stores an
 * alert and calls the notification provider, and only then acknowledges the device. A slow rule engine or
 * provider makes every reading as slow as they are, exactly when a patient is in trouble.
 *
 * Plugged in at what runs between a batch's commit and its ack (StoredStreamPublisher): the service's own
 * rule engine (AlertEvaluator.evaluate: the rule cache, the episode store) and notification client, awaited
 * inline, before the batch is appended to vitals:stored and the devices are acknowledged.
 */
@Injectable()
export class InlineAlertingPublisher extends StoredStreamPublisher {
  constructor(
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(RedisKeys) keys: RedisKeys,
    @Inject(LatestVitalsService) latest: LatestVitalsService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(StoredBatchListeners) listeners: StoredBatchListeners,
    @Inject(ModuleRef) protected readonly modules: ModuleRef,
  ) {
    super(redis, keys, latest, config, listeners);
  }

  // Off the write path: the batch is appended to vitals:stored and the devices acknowledged at once. The alert
  // service reads the stream on its own (a consumer group) and evaluates the rules and calls the provider there,
  // so a slow rule engine or provider delays alerts, never the ack; the stream keeps what it has not read yet.
  override async publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    await super.publish(readings, traceparent);
  }

  protected async alertInline(readings: readonly StoredReading[]): Promise<void> {
    const evaluator = this.modules.get(AlertEvaluator, { strict: false });
    const notifier = this.modules.get(NotificationClient, { strict: false });
    for (const change of await evaluator.evaluate(readings))
      if ('raised' in change) await notifier.notify(change.raised);
  }
}

/** A close cousin: the batch is appended to vitals:stored first, but the ack still waits for the rules and the provider. */
@Injectable()
export class AlertAfterAppendPublisher extends InlineAlertingPublisher {
  override async publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    await StoredStreamPublisher.prototype.publish.call(this, readings, traceparent);
    await this.alertInline(readings);
  }
}

/** A close cousin: the rules are evaluated before the ack; only the provider call is left to run on its own. */
@Injectable()
export class InlineEvaluationPublisher extends InlineAlertingPublisher {
  protected override async alertInline(readings: readonly StoredReading[]): Promise<void> {
    const evaluator = this.modules.get(AlertEvaluator, { strict: false });
    const notifier = this.modules.get(NotificationClient, { strict: false });
    for (const change of await evaluator.evaluate(readings))
      if ('raised' in change) void notifier.notify(change.raised).catch(() => undefined);
  }
}
