import type pg from 'pg';

/**
 * vitals:V-06, the original design: "no caching layer defined". Every dashboard refresh reads the latest
 * vitals from vital_data, every evaluation reads the alert rules, and every device message reads the
 * device's metadata, from PostgreSQL, each time.
 */
export async function latestVitals(pool: pg.Pool, patientId: string): Promise<unknown> {
  const { rows } = await pool.query(
    'SELECT * FROM vital_data WHERE patient_id = $1 ORDER BY recorded_at DESC LIMIT 1',
    [patientId],
  );
  return rows[0];
}

export async function alertRules(pool: pg.Pool, patientId: string, wardId: string): Promise<unknown[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    'SELECT * FROM alert_rules WHERE enabled AND (patient_id = $1 OR ward_id = $2)',
    [patientId, wardId],
  );
  return rows;
}

export async function deviceMetadata(pool: pg.Pool, deviceId: string): Promise<unknown> {
  const { rows } = await pool.query('SELECT * FROM devices WHERE id = $1', [deviceId]);
  return rows[0];
}
