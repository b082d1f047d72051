import { Inject, Injectable } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import type { ChainableCommander } from 'ioredis';
import { AlertRule } from '../src/alerts/alert-rule.entity.js';
import { RuleCache } from '../src/alerts/rule-cache.service.js';
import { PRIMARY_POOL } from '../src/database/database.tokens.js';
import { readingFromRow, type LatestRow } from '../src/latest-vitals/latest-vitals.sql.js';
import { DeviceDirectory, type DeviceIdentity } from '../src/registry/devices/device-directory.service.js';
import type { StoredReading } from '../src/storage/stored-reading.js';

/**
 * vitals:V-06, the original design: "no caching layer defined". Every dashboard refresh reads the latest
 * vitals from vital_data, every evaluation reads the alert rules, and every device message reads the
 * device's metadata, from PostgreSQL, each time. Each class stands in for the service of the same shape
 * (LatestVitalsService, RuleCache, DeviceDirectory).
 */
@Injectable()
export class UncachedLatestVitals {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: PgPool) {}

  queueRecord(_pipeline: ChainableCommander, _readings: readonly StoredReading[]): void {}

  async record(_readings: readonly StoredReading[]): Promise<void> {}

  async forPatients(patientIds: readonly string[]): Promise<Map<string, StoredReading>> {
    const result = new Map<string, StoredReading>();
    for (const patientId of patientIds) {
      const { rows } = await this.pool.query<LatestRow>(
        'SELECT * FROM vital_data WHERE patient_id = $1 ORDER BY recorded_at DESC LIMIT 1',
        [patientId],
      );
      if (rows[0]) result.set(patientId, readingFromRow(rows[0]));
    }
    return result;
  }
}

@Injectable()
export class UncachedRules {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: PgPool) {}

  async rulesFor(patientId: string, wardId: string | null): Promise<AlertRule[]> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      'SELECT * FROM alert_rules WHERE enabled AND (patient_id = $1 OR ward_id = $2)',
      [patientId, wardId],
    );
    return rows.map(
      (row) => ({ ...row, patientId: row.patient_id, wardId: row.ward_id }) as unknown as AlertRule,
    );
  }

  async invalidate(_ruleId: string): Promise<void> {}
}

/**
 * DeviceDirectory without its cache: every lookup is a query of its own. Registry changes still reach open
 * device sessions through the inherited onChange, as in the service.
 */
@Injectable()
export class UncachedDevices extends DeviceDirectory {
  override async lookup(deviceId: string): Promise<DeviceIdentity | undefined> {
    return (await this.fetch([deviceId])).get(deviceId);
  }
}

/** A close cousin: the rule cache reloads through the DataSource's default, which is the (lagging) replica. */
@Injectable()
export class ReplicaReloadingRuleCache extends RuleCache {
  protected override loadRules(): Promise<AlertRule[]> {
    return this.dataSource.getRepository(AlertRule).findBy({ enabled: true });
  }
}

/** A close cousin: rules cached, but an update never drops them (no invalidation; only the safety TTL). */
@Injectable()
export class NeverInvalidatedRuleCache extends RuleCache {
  protected override drop(): void {}
}
