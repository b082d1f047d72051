import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { runInLinkedSpan, SpanKind } from '@remedy/observability';
import { redisOptionsFromUrl } from '@remedy/pooling';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { RedisKeys } from '../redis/redis-keys.js';
import { IngestMetrics } from '../telemetry/ingest-metrics.service.js';
import type { StoredReading } from '../storage/stored-reading.js';
import { NotificationClient } from '../notifications/notification-client.service.js';
import type { ClearedAlert, RaisedAlert } from './alert.js';
import { AlertFeed } from './alert-feed.service.js';
import { AlertStore, episodeKey } from './alert-store.service.js';
import { judge } from './rule-engine.js';
import { RuleCache } from './rule-cache.service.js';

export const ALERTS_GROUP = 'alerts';

type StreamEntry = [id: string, fields: string[]];

/** What one reading did to an alert episode. */
export type EpisodeChange = { raised: RaisedAlert } | { cleared: ClearedAlert };

function field(fields: string[], name: string): string {
  const index = fields.indexOf(name);
  return index >= 0 && index % 2 === 0 ? (fields[index + 1] ?? '') : '';
}

/**
 * Alert detection outside the write path (V-12): consumes `vitals:stored` in the consumer group `alerts`
 * (XREADGROUP, XACK after the alerts are stored), so ingest never waits for rules or the notification
 * provider. Entries a crashed consumer left pending are reclaimed with XAUTOCLAIM after
 * ALERT_RECLAIM_IDLE_MS. Each new alert is appended to `vitals:alerts` and sent to the provider; each
 * cleared one is appended to `vitals:alerts` too.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEvaluator.name);
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private blocking: Redis | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly notifications = new Set<Promise<unknown>>();

  constructor(
    @Inject(RuleCache) private readonly rules: RuleCache,
    @Inject(AlertStore) private readonly store: AlertStore,
    @Inject(AlertFeed) private readonly feed: AlertFeed,
    @Inject(NotificationClient) private readonly notifier: NotificationClient,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.alerts.evaluatorEnabled) return;
    this.blocking = new Redis({
      ...redisOptionsFromUrl(this.config.redisUrl),
      connectionName: 'medical-vitals:alerts',
    });
    await this.ensureGroup(this.blocking);
    this.loop = this.run();
  }

  /** From the stream's start: readings stored before the first evaluator came up are evaluated too. */
  private async ensureGroup(redis: Redis): Promise<void> {
    try {
      await redis.xgroup('CREATE', this.keys.storedStream, ALERTS_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.blocking?.disconnect();
    await this.loop;
    await Promise.allSettled([...this.notifications]);
  }

  private async run(): Promise<void> {
    const redis = this.blocking!;
    let lastReclaim = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - lastReclaim > this.config.alerts.reclaimIdleMs / 2) {
          lastReclaim = Date.now();
          await this.reclaim(redis);
        }
        const result = (await redis.xreadgroup(
          'GROUP',
          ALERTS_GROUP,
          this.consumer,
          'COUNT',
          20,
          'BLOCK',
          this.config.alerts.blockMs,
          'STREAMS',
          this.keys.storedStream,
          '>',
        )) as [string, StreamEntry[]][] | null;
        for (const [, entries] of result ?? []) await this.handle(redis, entries);
      } catch (error) {
        if (this.stopping) return;
        // The stream (and its group) can vanish, e.g. a Redis restart without persistence: start over.
        if (/NOGROUP|no longer exists/.test(String(error))) {
          this.logger.warn('the stored stream or its consumer group is gone: recreating it');
          await this.ensureGroup(redis).catch(() => undefined);
          continue;
        }
        this.logger.error(`alert evaluation failed, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async reclaim(redis: Redis): Promise<void> {
    const [, entries] = (await redis.xautoclaim(
      this.keys.storedStream,
      ALERTS_GROUP,
      this.consumer,
      this.config.alerts.reclaimIdleMs,
      '0-0',
      'COUNT',
      100,
    )) as [string, StreamEntry[]];
    if (entries.length > 0)
      this.logger.warn(`reclaimed ${entries.length} entries left pending by a stopped consumer`);
    await this.handle(redis, entries);
  }

  private async handle(redis: Redis, entries: StreamEntry[]): Promise<void> {
    for (const [id, fields] of entries) {
      const readings = JSON.parse(field(fields, 'readings') || '[]') as StoredReading[];
      await runInLinkedSpan(
        'vitals.evaluate',
        {
          parent: field(fields, 'traceparent'),
          kind: SpanKind.CONSUMER,
          attributes: { readings: readings.length },
        },
        async () => {
          const storedAt = Number(id.split('-')[0]);
          const changes = await this.evaluate(readings);
          this.metrics.evaluatorLag.observe(Math.max(0, Date.now() - storedAt) / 1000);
          for (const change of changes) {
            if ('raised' in change) await this.publish(change.raised);
            else await this.feed.cleared([change.cleared]);
          }
        },
      );
      await redis.xack(this.keys.storedStream, ALERTS_GROUP, id);
    }
  }

  /**
   * Opens an episode on the first breaching reading and closes it on the first reading back in range. The
   * changes come in the order of the readings, so the alerts stream carries each raise before its clearing.
   */
  async evaluate(readings: readonly StoredReading[]): Promise<EpisodeChange[]> {
    if (readings.length === 0) return [];
    const ordered = [...readings].sort((a, b) =>
      a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0,
    );
    const open = await this.store.openEpisodes([...new Set(ordered.map((reading) => reading.patientId))]);
    const changes: EpisodeChange[] = [];
    for (const reading of ordered) {
      for (const rule of await this.rules.rulesFor(reading.patientId, reading.wardId)) {
        const verdict = judge(reading, rule);
        if (!verdict) continue;
        const key = episodeKey(rule.id, reading.patientId);
        if (verdict.threshold !== undefined && !open.has(key)) {
          open.add(key);
          const alert = await this.store.raise({
            ruleId: rule.id,
            patientId: reading.patientId,
            wardId: reading.wardId,
            metric: rule.metric,
            value: verdict.value,
            threshold: verdict.threshold,
            raisedAt: reading.recordedAt,
          });
          if (alert) changes.push({ raised: alert });
        } else if (verdict.threshold === undefined && open.has(key)) {
          open.delete(key);
          const cleared = await this.store.clear(rule.id, reading.patientId, reading.recordedAt);
          if (cleared) changes.push({ cleared });
        }
      }
    }
    return changes;
  }

  private async publish(alert: RaisedAlert): Promise<void> {
    this.metrics.alertsRaised.inc({ metric: alert.metric });
    await this.feed.raised(alert);
    const sent = this.notifier.notify(alert).finally(() => this.notifications.delete(sent));
    this.notifications.add(sent);
  }
}
