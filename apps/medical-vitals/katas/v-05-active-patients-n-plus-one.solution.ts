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
  // Three statements for the whole page, whatever the ward's size: the patients with their open-alert counts,
  // then every one's devices and every one's latest reading, each for all the page's patients at once. (The
  // service's DashboardQueries goes further: the latest readings come from the Redis cache in one MGET, and
  // the page is keyset-paginated.)
  const { rows: patients } = await pool.query<{ id: string; name: string; openAlerts: number }>(
    `SELECT p.id, p.name,
            (SELECT count(*)::int FROM alerts a WHERE a.patient_id = p.id AND a.cleared_at IS NULL) AS "openAlerts"
       FROM patients p WHERE p.ward_id = $1 AND p.status = 'active' ORDER BY p.id`,
    [wardId],
  );
  const ids = patients.map((patient) => patient.id);
  const { rows: devices } = await pool.query<{ id: string; serial: string; patient_id: string }>(
    'SELECT id, serial, patient_id FROM devices WHERE patient_id = ANY($1::uuid[])',
    [ids],
  );
  const { rows: latest } = await pool.query<{ patient_id: string }>(
    `SELECT DISTINCT ON (patient_id) * FROM vital_data
      WHERE patient_id = ANY($1::uuid[]) ORDER BY patient_id, recorded_at DESC`,
    [ids],
  );
  const latestOf = new Map(latest.map((row) => [row.patient_id, row]));
  return patients.map((patient) => ({
    ...patient,
    devices: devices
      .filter((device) => device.patient_id === patient.id)
      .map(({ id, serial }) => ({ id, serial })),
    latest: latestOf.get(patient.id) ?? null,
  }));
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
