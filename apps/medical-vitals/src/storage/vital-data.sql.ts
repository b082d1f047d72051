import type { StoredReading } from './stored-reading.js';

/**
 * The batched write (V-04): one statement per batch, the batch passed as one array per column, and a
 * reading whose key is already stored left as it is on the primary key (V-01); the writer then tells a
 * resend (same values: stored) from a conflicting reading (other values: refused), see STORED_READINGS_SQL. unnest over arrays was chosen over
 * COPY into a staging table: it is one round trip instead of three, and DESIGN §8 measured it at
 * 140–185k rows/s on this machine, far above the 5,000 rows/s target (see ADR 0020).
 */
export const INSERT_VITALS_SQL = `
INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[], $5::smallint[], $6::smallint[],
                     $7::smallint[], $8::smallint[], $9::numeric[])
ON CONFLICT DO NOTHING`;

/**
 * One PostgreSQL array literal per column, built here rather than by pg from JS arrays: pg escapes every
 * element with a regular expression and quotes it, which showed in the ingest profile at 10,000-row batches.
 * No element needs quoting: ids are uuids, times come from `toISOString()`, and the rest are validated
 * finite numbers (see reading-validation.ts), so none holds a comma, brace, quote, backslash or space.
 */
export function insertVitalsParameters(readings: readonly StoredReading[]): string[] {
  const count = readings.length;
  const patients = new Array<string>(count);
  const devices = new Array<string>(count);
  const times = new Array<string>(count);
  const seqs = new Array<string>(count);
  const heartRates = new Array<string>(count);
  const spo2s = new Array<string>(count);
  const systolics = new Array<string>(count);
  const diastolics = new Array<string>(count);
  const temperatures = new Array<string>(count);
  for (let i = 0; i < count; i += 1) {
    const reading = readings[i]!;
    patients[i] = reading.patientId;
    devices[i] = reading.deviceId;
    times[i] = reading.recordedAt;
    seqs[i] = String(reading.seq);
    heartRates[i] = element(reading.heartRate);
    spo2s[i] = element(reading.spo2);
    systolics[i] = element(reading.systolic);
    diastolics[i] = element(reading.diastolic);
    temperatures[i] = element(reading.temperature);
  }
  return [patients, devices, times, seqs, heartRates, spo2s, systolics, diastolics, temperatures].map(
    (column) => `{${column.join(',')}}`,
  );
}

function element(value: number | null): string {
  return value === null ? 'NULL' : String(value);
}

/**
 * The stored rows for a batch's keys, read only when the insert stored fewer rows than it was given (a resend
 * or a conflict, never on the steady path). Bounded by the batch's time range so the partitions are pruned.
 */
export const STORED_READINGS_SQL = `
SELECT v.patient_id, v.device_id, v.recorded_at, v.heart_rate, v.spo2, v.systolic, v.diastolic,
       v.temperature::float8 AS temperature
  FROM vital_data v
  JOIN unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS k(patient_id, device_id, recorded_at)
    ON (v.patient_id, v.device_id, v.recorded_at) = (k.patient_id, k.device_id, k.recorded_at)
 WHERE v.recorded_at BETWEEN $4::timestamptz AND $5::timestamptz`;

export interface StoredReadingRow {
  patient_id: string;
  device_id: string;
  recorded_at: Date;
  heart_rate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}

export function storedReadingsParameters(readings: readonly StoredReading[]): string[] {
  const [patients, devices, times] = insertVitalsParameters(readings);
  let first = readings[0]!.recordedAt;
  let last = first;
  for (const reading of readings) {
    if (reading.recordedAt < first) first = reading.recordedAt;
    if (reading.recordedAt > last) last = reading.recordedAt;
  }
  return [patients!, devices!, times!, first, last];
}

/** The key a reading is stored under, as both sides spell it (recordedAt is ISO 8601 UTC from toISOString()). */
export function readingKey(patientId: string, deviceId: string, recordedAtMs: number): string {
  return `${patientId}|${deviceId}|${recordedAtMs}`;
}

/**
 * The readings of a batch that were not stored because another reading with other values holds their key
 * (same patient, device and time). A reading equal to the stored row is a resend: it counts as stored.
 */
export function conflictingReadings(
  readings: readonly StoredReading[],
  stored: readonly StoredReadingRow[],
): StoredReading[] {
  const byKey = new Map(
    stored.map((row) => [readingKey(row.patient_id, row.device_id, row.recorded_at.getTime()), row]),
  );
  return readings.filter((reading) => {
    const row = byKey.get(readingKey(reading.patientId, reading.deviceId, Date.parse(reading.recordedAt)));
    // No row at all cannot follow a successful insert; it is refused rather than acked unstored.
    if (row === undefined) return true;
    return (
      row.heart_rate !== reading.heartRate ||
      row.spo2 !== reading.spo2 ||
      row.systolic !== reading.systolic ||
      row.diastolic !== reading.diastolic ||
      row.temperature !== reading.temperature
    );
  });
}
