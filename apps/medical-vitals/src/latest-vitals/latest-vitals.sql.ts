import type { StoredReading } from '../storage/stored-reading.js';

/**
 * Cache-miss fallback, shaped for the primary key (patient_id, device_id, recorded_at): per device of the
 * patient, a backward index scan that stops at the first row, over only the partitions of the last two
 * days (the bounds prune every other partition, the default one included). See vitals:V-02.
 */
export const LATEST_FALLBACK_SQL = `
SELECT p.id AS patient_id, p.ward_id, v.device_id, v.seq, v.recorded_at, v.heart_rate, v.spo2, v.systolic,
       v.diastolic, v.temperature
  FROM patients p
  CROSS JOIN LATERAL (
    SELECT latest.*
      FROM devices d
     CROSS JOIN LATERAL (
       SELECT device_id, seq, recorded_at, heart_rate, spo2, systolic, diastolic, temperature
         FROM vital_data
        WHERE patient_id = p.id AND device_id = d.id
          AND recorded_at > now() - interval '2 days' AND recorded_at <= now() + interval '5 minutes'
        ORDER BY recorded_at DESC
        LIMIT 1
     ) latest
     WHERE d.patient_id = p.id
     ORDER BY latest.recorded_at DESC
     LIMIT 1
  ) v
 WHERE p.id = ANY($1::uuid[])`;

export interface LatestRow {
  patient_id: string;
  ward_id: string | null;
  device_id: string;
  seq: string;
  recorded_at: Date;
  heart_rate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: string | null;
}

export function readingFromRow(row: LatestRow): StoredReading {
  return {
    patientId: row.patient_id,
    wardId: row.ward_id,
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
