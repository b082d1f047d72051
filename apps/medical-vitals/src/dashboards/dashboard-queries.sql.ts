/** Patients of one ward (keyset on p.id); `$1` ward, `$2` status filter or NULL for all. */
export const WARD_PATIENTS_SQL = (keyset: {
  select: string;
  where: string;
  orderBy: string;
  limit: string;
}): string => `
SELECT p.id, p.name, p.mrn, p.ward_id, p.status, p.admitted_at, ${keyset.select}
  FROM patients p
 WHERE p.ward_id = $1 AND ($2::text IS NULL OR p.status = $2) AND ${keyset.where}
 ORDER BY ${keyset.orderBy}
 LIMIT ${keyset.limit}`;

/**
 * Active patients of a ward with their open alert count, in ONE statement (V-05): the count is a grouped
 * join over the page's patients, not a query per patient. Latest vitals come from the Redis cache in one
 * MGET for the whole page.
 */
export const ACTIVE_PATIENTS_SQL = (keyset: {
  select: string;
  where: string;
  orderBy: string;
  limit: string;
}): string => `
SELECT p.id, p.name, p.mrn, p.ward_id, p.status, p.admitted_at,
       COALESCE(a.open_alerts, 0)::int AS open_alerts, ${keyset.select}
  FROM patients p
  LEFT JOIN LATERAL (
    SELECT count(*) AS open_alerts FROM alerts WHERE alerts.patient_id = p.id AND alerts.cleared_at IS NULL
  ) a ON TRUE
 WHERE p.ward_id = $1 AND p.status = 'active' AND ${keyset.where}
 ORDER BY ${keyset.orderBy}
 LIMIT ${keyset.limit}`;

/** One patient's readings in [from, to), newest first; pruned to the partitions of the range. */
export const VITALS_RANGE_SQL = (keyset: {
  select: string;
  where: string;
  orderBy: string;
  limit: string;
}): string => `
SELECT v.device_id, v.seq, v.recorded_at, v.heart_rate, v.spo2, v.systolic, v.diastolic, v.temperature, ${keyset.select}
  FROM vital_data v
 WHERE v.patient_id = $1 AND v.recorded_at >= $2 AND v.recorded_at < $3 AND ${keyset.where}
 ORDER BY ${keyset.orderBy}
 LIMIT ${keyset.limit}`;

/**
 * The open alerts of a ward's active patients, newest first. Joined through the patients' current ward (like
 * the active-patients count), not the ward an alert was raised on: a nurse sees the alarms of the patients
 * now in her ward. Bounded by one open episode per rule and patient (alerts_open_episode_uq).
 */
export const WARD_OPEN_ALERTS_SQL = `
SELECT a.id, a.patient_id, p.ward_id, a.metric, a.value, a.threshold, a.raised_at
  FROM patients p
  JOIN alerts a ON a.patient_id = p.id AND a.cleared_at IS NULL
 WHERE p.ward_id = $1 AND p.status = 'active'
 ORDER BY a.raised_at DESC, a.id`;

export const PATIENT_EXISTS_SQL = 'SELECT id, ward_id FROM patients WHERE id = $1';

export interface PatientRow {
  id: string;
  name: string | null;
  mrn: string | null;
  ward_id: string | null;
  status: 'active' | 'discharged';
  admitted_at: Date;
}

export interface ActivePatientRow extends PatientRow {
  open_alerts: number;
}

export interface VitalRow {
  device_id: string;
  seq: string;
  recorded_at: Date;
  heart_rate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: string | null;
}

export interface OpenAlertRow {
  id: string;
  patient_id: string;
  ward_id: string;
  metric: string;
  value: string;
  threshold: string;
  raised_at: Date;
}
