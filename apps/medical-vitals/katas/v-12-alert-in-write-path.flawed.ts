import type pg from 'pg';

/**
 * vitals:V-12, the original design: the Alert Service "detects and notifies via Pub/Sub" with nothing to
 * say it happens off the write path, so the handler stores the reading, looks up the rules, stores an
 * alert and calls the notification provider before it acknowledges the device. A slow provider makes
 * every breaching reading as slow as the provider, and there is no notion of an episode: every
 * breaching reading raises its own alert.
 */
export const KATA_V12_SQL = `
CREATE TABLE IF NOT EXISTS kata_v12_vital_data (
  data_id BIGSERIAL PRIMARY KEY, patient_id uuid NOT NULL, device_id uuid NOT NULL,
  timestamp timestamptz NOT NULL, heart_rate smallint
);
CREATE TABLE IF NOT EXISTS kata_v12_alert_rules (patient_id uuid NOT NULL, max_heart_rate smallint NOT NULL);
CREATE TABLE IF NOT EXISTS kata_v12_alerts (
  alert_id BIGSERIAL PRIMARY KEY, patient_id uuid NOT NULL, value smallint NOT NULL, raised_at timestamptz NOT NULL
)`;

export interface KataV12Reading {
  patientId: string;
  deviceId: string;
  recordedAt: string;
  heartRate: number;
}

export async function onVitalMessage(
  pool: pg.Pool,
  notifyUrl: string,
  reading: KataV12Reading,
): Promise<void> {
  await pool.query(
    'INSERT INTO kata_v12_vital_data (patient_id, device_id, timestamp, heart_rate) VALUES ($1, $2, $3, $4)',
    [reading.patientId, reading.deviceId, reading.recordedAt, reading.heartRate],
  );
  const { rows } = await pool.query<{ max_heart_rate: number }>(
    'SELECT max_heart_rate FROM kata_v12_alert_rules WHERE patient_id = $1',
    [reading.patientId],
  );
  for (const rule of rows) {
    if (reading.heartRate <= rule.max_heart_rate) continue;
    await pool.query('INSERT INTO kata_v12_alerts (patient_id, value, raised_at) VALUES ($1, $2, $3)', [
      reading.patientId,
      reading.heartRate,
      reading.recordedAt,
    ]);
    await fetch(notifyUrl, { method: 'POST', body: JSON.stringify(reading) });
  }
}
