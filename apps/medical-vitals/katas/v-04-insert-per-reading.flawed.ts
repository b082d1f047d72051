import type pg from 'pg';

/**
 * vitals:V-04, the original design: the WebSocket server "writes each vital record immediately"
 * (DBに即時保存) — one INSERT, one round trip and one commit (one WAL flush) per reading. At 5,000
 * devices × 1 reading/s that is 5,000 statements a second, whatever the pool size.
 */
export const KATA_V04_SQL = `
CREATE TABLE IF NOT EXISTS kata_v04_vital_data (
  data_id BIGSERIAL PRIMARY KEY,
  patient_id uuid NOT NULL,
  device_id uuid NOT NULL,
  timestamp timestamptz NOT NULL,
  heart_rate smallint,
  spo2 smallint,
  systolic smallint,
  diastolic smallint,
  temperature numeric(4, 1)
)`;

export interface KataV04Reading {
  patientId: string;
  deviceId: string;
  recordedAt: string;
  heartRate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}

/** The message handler: store the reading, then ack. */
export async function onVitalMessage(pool: pg.Pool, reading: KataV04Reading): Promise<void> {
  await pool.query(
    `INSERT INTO kata_v04_vital_data (patient_id, device_id, timestamp, heart_rate, spo2, systolic, diastolic, temperature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      reading.patientId,
      reading.deviceId,
      reading.recordedAt,
      reading.heartRate,
      reading.spo2,
      reading.systolic,
      reading.diastolic,
      reading.temperature,
    ],
  );
}
