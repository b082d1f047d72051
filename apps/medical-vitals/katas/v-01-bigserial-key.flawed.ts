import type pg from 'pg';

/**
 * vitals:V-01, the original design: "vital_data uses BIGSERIAL for data_id". Every insert draws from one
 * sequence, and the row's identity is that number, not the reading: a device that resends a reading
 * (its ack was lost) gets a second row.
 */
export const BIGSERIAL_VITALS_SQL = `
CREATE TABLE IF NOT EXISTS kata_v01_vital_data (
  data_id BIGSERIAL PRIMARY KEY,
  patient_id uuid NOT NULL,
  device_id uuid NOT NULL,
  timestamp timestamptz NOT NULL,
  heart_rate smallint,
  spo2 smallint
)`;

export interface KataReading {
  patientId: string;
  deviceId: string;
  recordedAt: string;
  heartRate: number;
  spo2: number;
}

export async function saveVital(pool: pg.Pool, reading: KataReading): Promise<void> {
  await pool.query(
    'INSERT INTO kata_v01_vital_data (patient_id, device_id, timestamp, heart_rate, spo2) VALUES ($1, $2, $3, $4, $5)',
    [reading.patientId, reading.deviceId, reading.recordedAt, reading.heartRate, reading.spo2],
  );
}
