import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config.js';
import { CacheInvalidationBus } from '../../redis/cache-invalidation.bus.js';

export interface DeviceIdentity {
  deviceId: string;
  patientId: string | null;
  wardId: string | null;
  tokenHash: string;
  status: string;
}

interface LookupWaiter {
  resolve(identity: DeviceIdentity | undefined): void;
  reject(error: unknown): void;
}

/** Device ids per lookup query: well inside one statement's parameter, and a storm drains in a few queries. */
const LOOKUP_BATCH = 500;

interface CachedIdentity {
  identity: DeviceIdentity | undefined;
  expiresAt: number;
}

/**
 * Device metadata for the ingest path (V-06): each device authenticates once per connection, and a
 * reconnect storm of 5,000 devices must not turn into 5,000 queries. Entries live in-process for
 * DEVICE_CACHE_TTL_MS and are dropped on every instance when the device or its patient changes.
 */
@Injectable()
export class DeviceDirectory {
  private readonly cache = new Map<string, CachedIdentity>();
  private readonly ttlMs: number;
  private readonly waiting = new Map<string, LookupWaiter[]>();
  private draining = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CacheInvalidationBus) private readonly bus: CacheInvalidationBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.ingest.deviceCacheTtlMs;
    this.bus.on('device', (id) => this.cache.delete(id));
  }

  async lookup(deviceId: string): Promise<DeviceIdentity | undefined> {
    const cached = this.cache.get(deviceId);
    if (cached && cached.expiresAt > Date.now()) return cached.identity;
    return new Promise<DeviceIdentity | undefined>((resolve, reject) => {
      const waiters = this.waiting.get(deviceId) ?? [];
      waiters.push({ resolve, reject });
      this.waiting.set(deviceId, waiters);
      this.drain();
    });
  }

  /**
   * Cache misses are answered by one query at a time for every device waiting (up to LOOKUP_BATCH ids):
   * on a cold start, 200 devices authenticating at once took 200 connections' worth of queries from a pool
   * of 5, and those that waited past the connection timeout were told to resend. Now a reconnect storm
   * holds one connection, whatever its size.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    void (async () => {
      try {
        while (this.waiting.size > 0) {
          const batch = [...this.waiting.entries()].slice(0, LOOKUP_BATCH);
          for (const [id] of batch) this.waiting.delete(id);
          try {
            const found = await this.fetch(batch.map(([id]) => id));
            for (const [id, waiters] of batch) {
              const identity = found.get(id);
              if (this.ttlMs > 0) this.cache.set(id, { identity, expiresAt: Date.now() + this.ttlMs });
              for (const waiter of waiters) waiter.resolve(identity);
            }
          } catch (error) {
            for (const [, waiters] of batch) for (const waiter of waiters) waiter.reject(error);
          }
        }
      } finally {
        this.draining = false;
      }
    })();
  }

  private async fetch(deviceIds: string[]): Promise<Map<string, DeviceIdentity>> {
    const rows = await this.dataSource.query<
      { id: string; patient_id: string | null; ward_id: string | null; token_hash: string; status: string }[]
    >(
      `SELECT d.id, d.patient_id, p.ward_id, d.token_hash, d.status
         FROM devices d LEFT JOIN patients p ON p.id = d.patient_id
        WHERE d.id = ANY($1::uuid[])`,
      [deviceIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          deviceId: row.id,
          patientId: row.patient_id,
          wardId: row.ward_id,
          tokenHash: row.token_hash,
          status: row.status,
        },
      ]),
    );
  }

  async invalidate(deviceId: string): Promise<void> {
    await this.bus.publish('device', deviceId);
  }

  async invalidatePatient(patientId: string): Promise<void> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM devices WHERE patient_id = $1',
      [patientId],
    );
    await Promise.all(rows.map((row) => this.invalidate(row.id)));
  }
}
