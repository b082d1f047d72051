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
    const rows = await this.dataSource.query<
      { id: string; patient_id: string | null; ward_id: string | null; token_hash: string; status: string }[]
    >(
      `SELECT d.id, d.patient_id, p.ward_id, d.token_hash, d.status
         FROM devices d LEFT JOIN patients p ON p.id = d.patient_id
        WHERE d.id = $1`,
      [deviceId],
    );
    const row = rows[0];
    const identity = row
      ? {
          deviceId: row.id,
          patientId: row.patient_id,
          wardId: row.ward_id,
          tokenHash: row.token_hash,
          status: row.status,
        }
      : undefined;
    if (this.ttlMs > 0) this.cache.set(deviceId, { identity, expiresAt: Date.now() + this.ttlMs });
    return identity;
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
