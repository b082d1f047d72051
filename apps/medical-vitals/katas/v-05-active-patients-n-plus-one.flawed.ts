import { Inject, Injectable } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import type { PgPool, RedisClients } from '@remedy/pooling';
import type pg from 'pg';
import { DashboardQueries, type PageArgs } from '../src/dashboards/dashboard-queries.service.js';
import type { ActivePatient } from '../src/dashboards/dashboard-views.js';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import {
  LATEST_FALLBACK_SQL,
  type LatestRow,
  readingFromRow,
} from '../src/latest-vitals/latest-vitals.sql.js';
import { READER_POOL } from '../src/read-replica/read-replica.tokens.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { REDIS_CLIENTS } from '../src/redis/redis.tokens.js';
import type { StoredReading } from '../src/storage/stored-reading.js';

/**
 * The reviewed design's `/api/dashboard/active-patients` (vitals review §2: "likely needs to join patients,
 * devices, and vital_data … Without explicit eager loading strategy, this will trigger N+1 queries"):
 * load the ward's active patients, then, per patient, its devices, its latest reading and its open alerts.
 * 1 + 3N statements for N patients.
 */
export async function activePatientsWithLazyLoading(pool: pg.Pool, wardId: string): Promise<unknown[]> {
  const { rows: patients } = await pool.query<{ id: string; name: string }>(
    "SELECT id, name FROM patients WHERE ward_id = $1 AND status = 'active' ORDER BY id",
    [wardId],
  );
  const result: unknown[] = [];
  for (const patient of patients) {
    const { rows: devices } = await pool.query('SELECT id, serial FROM devices WHERE patient_id = $1', [
      patient.id,
    ]);
    const { rows: latest } = await pool.query<Record<string, unknown>>(
      'SELECT * FROM vital_data WHERE patient_id = $1 ORDER BY recorded_at DESC LIMIT 1',
      [patient.id],
    );
    const { rows: alerts } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM alerts WHERE patient_id = $1 AND cleared_at IS NULL',
      [patient.id],
    );
    result.push({ ...patient, devices, latest: latest[0] ?? null, openAlerts: alerts[0]?.n ?? 0 });
  }
  return result;
}

/**
 * The same loader in place of the service's DashboardQueries, so the proof calls the route's own service
 * method (`activePatients`) with the review's N+1 behind it. Pagination is left out, as in the review.
 */
@Injectable()
export class LazyLoadingDashboardQueries extends DashboardQueries {
  constructor(
    @Inject(READER_POOL) private readonly pool: PgPool,
    @Inject(LatestVitalsService) latest: LatestVitalsService,
  ) {
    super(pool, latest);
  }

  override async activePatients(wardId: string, _page: PageArgs): Promise<KeysetPage<ActivePatient>> {
    const data = (await activePatientsWithLazyLoading(this.pool, wardId)) as ActivePatient[];
    return { data, pagination: { nextCursor: null, hasMore: false } };
  }
}

/**
 * A close cousin put back into the remediated service: the page's patients still come in one statement, but
 * each patient's latest reading is read with its own query (the cache bypassed), as an "eager" loader that
 * only batches the first level does.
 */
@Injectable()
export class PerPatientLatestVitals extends LatestVitalsService {
  constructor(
    @Inject(REDIS_CLIENTS) clients: RedisClients,
    @Inject(RedisKeys) keys: RedisKeys,
    @Inject(READER_POOL) private readonly pool: PgPool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(clients, keys, pool, config);
  }

  override async forPatients(patientIds: readonly string[]): Promise<Map<string, StoredReading>> {
    const result = new Map<string, StoredReading>();
    for (const patientId of patientIds) {
      const { rows } = await this.pool.query<LatestRow>(LATEST_FALLBACK_SQL, [[patientId]]);
      if (rows[0]) result.set(patientId, readingFromRow(rows[0]));
    }
    return result;
  }
}
