import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { redisOptionsFromUrl } from '@remedy/pooling';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config.js';
import { RedisKeys } from '../../redis/redis-keys.js';
import { StoredBatchListeners } from '../../storage/stored-batch-listeners.js';
import type { StoredReading } from '../../storage/stored-reading.js';
import { LiveGateway } from './live.gateway.js';
import { alertKey, patientRoom, readingKey, wardRoom } from './live-rooms.js';

/** Consumer group shared by every API instance on `vitals:alerts`: each alert event is published by one of them. */
export const DASHBOARD_GROUP = 'dashboards';

export interface PushedAlert {
  id: string;
  patientId: string;
  wardId: string | null;
  metric: string;
  value: number;
  threshold: number;
  raisedAt: string;
}

export interface PushedClearedAlert {
  id: string;
  patientId: string;
  wardId: string | null;
  clearedAt: string;
}

type RoomMessages = Array<{ room: string; message: string; key: string }>;
type StreamEntry = [id: string, fields: string[]];
type StreamBatch = [stream: string, entries: StreamEntry[]];

/**
 * Moves stored readings and raised and cleared alerts to the /live rooms; the gateway publishes each message
 * once through Redis pub/sub and every instance with a subscriber in the room delivers it (V-14).
 *
 * Readings are pushed by the instance that stored them, straight from the writer's commit (StoredBatchListeners),
 * in commit order. They used to travel through `vitals:stored` and a consumer group first: one more Redis
 * round trip and JSON parse per batch, and one serial loop per instance (read, publish, ack, read again) whose
 * every step waits for a turn of a busy event loop, so a stalled instance held back every batch behind it.
 * Alerts come from the evaluator, which may run in another process, so they still arrive through
 * `vitals:alerts` and the instances' shared consumer group. Push is best effort: a dashboard that reconnects
 * reloads the current state over REST.
 */
@Injectable()
export class VitalsPushService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(VitalsPushService.name);
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly reader: Redis;
  private running = false;
  private loop: Promise<void> | undefined;
  private cancelPause: (() => void) | undefined;
  private stopListening: (() => void) | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(LiveGateway) private readonly gateway: LiveGateway,
    @Inject(StoredBatchListeners) private readonly storedBatches: StoredBatchListeners,
  ) {
    // XREADGROUP BLOCK holds its connection, so the loop gets one of its own.
    this.reader = new Redis({
      ...redisOptionsFromUrl(config.redisUrl),
      connectionName: 'medical-vitals:live-push',
      lazyConnect: true,
      maxRetriesPerRequest: null,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.reader.connect();
    await this.ensureGroup();
    this.running = true;
    this.loop = this.run();
    this.stopListening = this.storedBatches.add((readings, traceparent) =>
      this.pushReadings(readings, traceparent),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    this.running = false;
    this.cancelPause?.();
    this.reader.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const batches = (await this.reader.xreadgroup(
          'GROUP',
          DASHBOARD_GROUP,
          this.consumer,
          'COUNT',
          10,
          'BLOCK',
          1_000,
          'STREAMS',
          this.keys.alertsStream,
          '>',
        )) as StreamBatch[] | null;
        if (batches) await this.pushAlerts(batches);
      } catch (error) {
        if (!this.running) return;
        // A trimmed-away or deleted stream takes its group with it: make it again and carry on.
        if (String(error).includes('NOGROUP')) {
          await this.ensureGroup().catch(() => undefined);
          continue;
        }
        this.logger.warn(`live push: reading the alerts stream failed, retrying in 1 s: ${String(error)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          this.cancelPause = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.reader.xgroup('CREATE', this.keys.alertsStream, DASHBOARD_GROUP, '$', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  /**
   * Not awaited by the writer: the publish goes out on the gateway's Redis connection in the order batches
   * commit, and a failure costs this batch's push, not its ack.
   */
  private pushReadings(readings: readonly StoredReading[], traceparent: string): void {
    this.gateway
      .publish(readingMessages(readings, traceparent))
      .catch((error: unknown) => this.logger.warn(`live push of a stored batch failed: ${String(error)}`));
  }

  private async pushAlerts(batches: StreamBatch[]): Promise<void> {
    const messages: RoomMessages = [];
    for (const [, entries] of batches) {
      for (const [, fields] of entries) {
        const traceparent = field(fields, 'traceparent');
        messages.push(...alertMessages(field(fields, 'alert'), traceparent));
        messages.push(...clearedAlertMessages(field(fields, 'cleared'), traceparent));
      }
    }
    await this.gateway.publish(messages);
    const pipeline = this.reader.pipeline();
    for (const [stream, entries] of batches)
      pipeline.xack(stream, DASHBOARD_GROUP, ...entries.map(([id]) => id));
    await pipeline.exec();
  }
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Each reading serialized once, for its patient's room and its ward's. */
function readingMessages(readings: readonly StoredReading[], traceparent: string): RoomMessages {
  return readings.flatMap((reading) => {
    const message = JSON.stringify({ type: 'reading', ...reading, ...(traceparent ? { traceparent } : {}) });
    const key = readingKey(reading.patientId);
    const rooms = [patientRoom(reading.patientId), ...(reading.wardId ? [wardRoom(reading.wardId)] : [])];
    return rooms.map((room) => ({ room, message, key }));
  });
}

function alertMessages(raw: string | undefined, traceparent: string | undefined): RoomMessages {
  if (!raw) return [];
  const alert = JSON.parse(raw) as PushedAlert;
  const message = JSON.stringify({ type: 'alert', ...alert, ...(traceparent ? { traceparent } : {}) });
  const rooms = [patientRoom(alert.patientId), ...(alert.wardId ? [wardRoom(alert.wardId)] : [])];
  return rooms.map((room) => ({ room, message, key: alertKey(alert.id) }));
}

/**
 * An alert that ended goes to the rooms its raise went to. It shares the raise's key, so a slow socket still
 * holding the raise sends only the clearing (the page then has nothing to show or remove).
 */
function clearedAlertMessages(raw: string | undefined, traceparent: string | undefined): RoomMessages {
  if (!raw) return [];
  const cleared = JSON.parse(raw) as PushedClearedAlert;
  const message = JSON.stringify({
    type: 'alert_cleared',
    ...cleared,
    ...(traceparent ? { traceparent } : {}),
  });
  const rooms = [patientRoom(cleared.patientId), ...(cleared.wardId ? [wardRoom(cleared.wardId)] : [])];
  return rooms.map((room) => ({ room, message, key: alertKey(cleared.id) }));
}
