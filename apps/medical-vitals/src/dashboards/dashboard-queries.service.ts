import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import type { PgPool } from '@remedy/pooling';
import { LatestVitalsService } from '../latest-vitals/latest-vitals.service.js';
import { READER_POOL } from '../read-replica/read-replica.tokens.js';
import type { StoredReading } from '../storage/stored-reading.js';
import {
  ACTIVE_PATIENTS_SQL,
  PATIENT_EXISTS_SQL,
  VITALS_RANGE_SQL,
  WARD_OPEN_ALERTS_SQL,
  WARD_PATIENTS_SQL,
  type ActivePatientRow,
  type OpenAlertRow,
  type PatientRow,
  type VitalRow,
} from './dashboard-queries.sql.js';
import { ACTIVE_PATIENT_PAGES, VITALS_PAGES, WARD_PATIENT_PAGES } from './dashboard-sorts.js';
import type { ActivePatient, OpenAlert, PatientSummary, VitalReading } from './dashboard-views.js';

export interface PageArgs {
  cursor?: string | undefined;
  limit?: number | undefined;
}

const HOUR_MS = 3_600_000;
const MAX_RANGE_MS = 7 * 24 * HOUR_MS;

/**
 * Every dashboard read. SQL runs on the reader pool (the replica, V-13); latest vitals come from the
 * Redis cache (V-06); each call runs a fixed number of statements whatever the page holds (V-05).
 */
@Injectable()
export class DashboardQueries {
  constructor(
    @Inject(READER_POOL) private readonly reader: PgPool,
    @Inject(LatestVitalsService) private readonly latest: LatestVitalsService,
  ) {}

  async wardPatients(
    wardId: string,
    page: PageArgs,
    status?: 'active' | 'discharged',
  ): Promise<KeysetPage<PatientSummary>> {
    const scope = { endpoint: 'GET /wards/:id/patients', filter: { wardId } };
    const keyset = buildKeysetSql({ ...WARD_PATIENT_PAGES, ...page, scope }, { parameterOffset: 2 });
    const { rows } = await this.reader.query<PatientRow>(WARD_PATIENTS_SQL(keyset), [
      wardId,
      status ?? null,
      ...keyset.parameters,
    ]);
    const built = keyset.toPage(rows);
    return { data: built.data.map(toSummary), pagination: built.pagination };
  }

  /** One SQL statement and one Redis MGET per page, for 10 patients or 500. */
  async activePatients(wardId: string, page: PageArgs): Promise<KeysetPage<ActivePatient>> {
    const scope = { endpoint: 'GET /dashboard/active-patients', filter: { wardId } };
    const keyset = buildKeysetSql({ ...ACTIVE_PATIENT_PAGES, ...page, scope }, { parameterOffset: 1 });
    const { rows } = await this.reader.query<ActivePatientRow>(ACTIVE_PATIENTS_SQL(keyset), [
      wardId,
      ...keyset.parameters,
    ]);
    const built = keyset.toPage(rows);
    const latest = await this.latest.forPatients(built.data.map((row) => row.id));
    return {
      data: built.data.map((row) => ({
        ...toSummary(row),
        latest: latest.get(row.id) ?? null,
        openAlerts: row.open_alerts,
      })),
      pagination: built.pagination,
    };
  }

  /** One statement: the ward's open alerts, which a page shows on load before /live brings new ones. */
  async openAlerts(wardId: string): Promise<OpenAlert[]> {
    const { rows } = await this.reader.query<OpenAlertRow>(WARD_OPEN_ALERTS_SQL, [wardId]);
    return rows.map((row) => ({
      id: row.id,
      patientId: row.patient_id,
      wardId: row.ward_id,
      metric: row.metric,
      value: Number(row.value),
      threshold: Number(row.threshold),
      raisedAt: row.raised_at.toISOString(),
    }));
  }

  async latestOf(patientId: string): Promise<StoredReading | null> {
    const latest = await this.latest.forPatients([patientId]);
    const reading = latest.get(patientId);
    if (reading) return reading;
    await this.requirePatient(patientId);
    return null;
  }

  async vitals(
    patientId: string,
    range: { from?: string | undefined; to?: string | undefined },
    page: PageArgs,
  ): Promise<KeysetPage<VitalReading>> {
    const to = range.to === undefined ? new Date() : new Date(range.to);
    const from = range.from === undefined ? new Date(to.getTime() - HOUR_MS) : new Date(range.from);
    const problems: Array<{ field: string; problems: string[] }> = [];
    if (from >= to) problems.push({ field: 'from', problems: ['must be before to'] });
    if (to.getTime() - from.getTime() > MAX_RANGE_MS)
      problems.push({ field: 'to', problems: ['the range spans at most 7 days'] });
    if (problems.length > 0)
      throw new BadRequestException({
        message: `invalid request: ${problems.map((p) => p.field).join(', ')}`,
        details: problems,
      });
    await this.requirePatient(patientId);
    // The range as the client sent it: an omitted `to` is "now", which moves between pages of one walk.
    const scope = { endpoint: 'GET /patients/:id/vitals', filter: { patientId, ...range } };
    const keyset = buildKeysetSql({ ...VITALS_PAGES, ...page, scope }, { parameterOffset: 3 });
    const { rows } = await this.reader.query<VitalRow>(VITALS_RANGE_SQL(keyset), [
      patientId,
      from,
      to,
      ...keyset.parameters,
    ]);
    const built = keyset.toPage(rows);
    return { data: built.data.map(toReading), pagination: built.pagination };
  }

  async findPatient(patientId: string): Promise<{ wardId: string | null } | null> {
    const { rows } = await this.reader.query<{ id: string; ward_id: string | null }>(PATIENT_EXISTS_SQL, [
      patientId,
    ]);
    const row = rows[0];
    return row ? { wardId: row.ward_id } : null;
  }

  /** The patient's ward, or a 404. */
  async requirePatient(patientId: string): Promise<{ wardId: string | null }> {
    const patient = await this.findPatient(patientId);
    if (!patient) throw new NotFoundException(`patient ${patientId} not found`);
    return patient;
  }
}

function toSummary(row: Omit<PatientRow, 'keyset_0'>): PatientSummary {
  return {
    id: row.id,
    name: row.name,
    mrn: row.mrn,
    wardId: row.ward_id,
    status: row.status,
    admittedAt: row.admitted_at.toISOString(),
  };
}

function toReading(row: Omit<VitalRow, 'keyset_0' | 'keyset_1'>): VitalReading {
  return {
    deviceId: row.device_id,
    seq: Number(row.seq),
    recordedAt: row.recorded_at.toISOString(),
    heartRate: row.heart_rate,
    spo2: row.spo2,
    systolic: row.systolic,
    diastolic: row.diastolic,
    temperature: row.temperature === null ? null : Number(row.temperature),
  };
}
