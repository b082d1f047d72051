import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { redisOptionsFromUrl } from '@remedy/pooling';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config.js';
import { RedisKeys } from '../../redis/redis-keys.js';
import type { StoredReading } from '../../storage/stored-reading.js';
import { LiveGateway } from './live.gateway.js';
import { alertKey, patientRoom, readingKey, wardRoom } from './live-rooms.js';

/** Consumer group shared by every API instance: each stored batch is published by exactly one of them. */
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

type StreamEntry = [id: string, fields: string[]];
type StreamBatch = [stream: string, entries: StreamEntry[]];

/**
 * Moves stored readings and raised and cleared alerts from their Redis streams to the /live rooms. The instances share
 * one consumer group, so each entry is read once; the gateway then publishes each message once through
 * Redis pub/sub and every instance with a subscriber in the room delivers it (V-14). Push is best effort:
 * a dashboard that reconnects reloads the current state over REST.
 */
@Injectable()
export class VitalsPushService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(VitalsPushService.name);
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly reader: Redis;
  private running = false;
  private loop: Promise<void> | undefined;
  private cancelPause: (() => void) | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(LiveGateway) private readonly gateway: LiveGateway,
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
    await this.ensureGroups();
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
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
          this.keys.storedStream,
          this.keys.alertsStream,
          '>',
          '>',
        )) as StreamBatch[] | null;
        if (batches) await this.push(batches);
      } catch (error) {
        if (!this.running) return;
        // A trimmed-away or deleted stream takes its group with it: make both again and carry on.
        if (String(error).includes('NOGROUP')) {
          await this.ensureGroups().catch(() => undefined);
          continue;
        }
        this.logger.warn(`live push: reading the streams failed, retrying in 1 s: ${String(error)}`);
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

  private async ensureGroups(): Promise<void> {
    for (const stream of [this.keys.storedStream, this.keys.alertsStream]) {
      try {
        await this.reader.xgroup('CREATE', stream, DASHBOARD_GROUP, '$', 'MKSTREAM');
      } catch (error) {
        if (!String(error).includes('BUSYGROUP')) throw error;
      }
    }
  }

  private async push(batches: StreamBatch[]): Promise<void> {
    const messages: Array<{ room: string; message: string; key: string }> = [];
    for (const [stream, entries] of batches) {
      const isAlerts = stream === this.keys.alertsStream;
      for (const [, fields] of entries) {
        const traceparent = field(fields, 'traceparent');
        if (isAlerts) {
          messages.push(...alertMessages(field(fields, 'alert'), traceparent));
          messages.push(...clearedAlertMessages(field(fields, 'cleared'), traceparent));
        } else messages.push(...readingMessages(field(fields, 'readings'), traceparent));
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

function readingMessages(
  raw: string | undefined,
  traceparent: string | undefined,
): Array<{ room: string; message: string; key: string }> {
  if (!raw) return [];
  const readings = JSON.parse(raw) as StoredReading[];
  return readings.flatMap((reading) => {
    const message = JSON.stringify({ type: 'reading', ...reading, ...(traceparent ? { traceparent } : {}) });
    const key = readingKey(reading.patientId);
    const rooms = [patientRoom(reading.patientId), ...(reading.wardId ? [wardRoom(reading.wardId)] : [])];
    return rooms.map((room) => ({ room, message, key }));
  });
}

function alertMessages(
  raw: string | undefined,
  traceparent: string | undefined,
): Array<{ room: string; message: string; key: string }> {
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
function clearedAlertMessages(
  raw: string | undefined,
  traceparent: string | undefined,
): Array<{ room: string; message: string; key: string }> {
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
