import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config.js';
import { CacheInvalidationBus } from '../../redis/cache-invalidation.bus.js';

export interface DeviceIdentity {
  deviceId: string;
  /** The patient whose readings the device records now: null when unassigned or the patient is discharged. */
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
  /**
   * The ids of the lookup query in flight. A change removes its id: the query may have read the row before
   * the change committed, so its answer still goes to the lookups that asked before, but is not cached.
   */
  private fetching = new Set<string>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CacheInvalidationBus) private readonly bus: CacheInvalidationBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.ingest.deviceCacheTtlMs;
    this.bus.on('device', (id) => {
      this.cache.delete(id);
      this.fetching.delete(id);
    });
  }

  /**
   * Calls `listener` with a device's id whenever the device or its patient changed, on any instance: after
   * this instance dropped its cached entry, so a lookup from the listener reads the change.
   */
  onChange(listener: (deviceId: string) => void): void {
    this.bus.on('device', listener);
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
          this.fetching = new Set(batch.map(([id]) => id));
          try {
            const found = await this.fetch([...this.fetching]);
            for (const [id, waiters] of batch) {
              const identity = found.get(id);
              if (this.ttlMs > 0 && this.fetching.has(id)) {
                this.cache.set(id, { identity, expiresAt: Date.now() + this.ttlMs });
              }
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

  /** One query for `deviceIds`, on the primary (DataSource.query's default): a change is read at once. */
  protected async fetch(deviceIds: string[]): Promise<Map<string, DeviceIdentity>> {
    const rows = await this.dataSource.query<
      { id: string; patient_id: string | null; ward_id: string | null; token_hash: string; status: string }[]
    >(
      // A discharged patient keeps the row's patient_id (the record of who wore the device), not its readings.
      `SELECT d.id, p.id AS patient_id, p.ward_id, d.token_hash, d.status
         FROM devices d LEFT JOIN patients p ON p.id = d.patient_id AND p.status = 'active'
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
