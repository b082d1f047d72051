import type pg from 'pg';

/**
 * vitals:V-02, the original design: "no index strategy defined". vital_data has its BIGSERIAL key and
 * nothing else, in one unpartitioned table, so "latest vitals of a patient" reads the whole table.
 */
export const KATA_V02_SQL = `
CREATE TABLE IF NOT EXISTS kata_v02_vital_data (
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

export const KATA_V02_LATEST_SQL =
  'SELECT * FROM kata_v02_vital_data WHERE patient_id = $1 ORDER BY timestamp DESC LIMIT 1';

export const KATA_V02_RANGE_SQL = `
SELECT * FROM kata_v02_vital_data
 WHERE patient_id = $1 AND timestamp >= now() - interval '1 hour' AND timestamp < now()
 ORDER BY timestamp DESC`;

export async function latestVitals(pool: pg.Pool, patientId: string): Promise<unknown> {
  const { rows } = await pool.query(KATA_V02_LATEST_SQL, [patientId]);
  return rows[0];
}
