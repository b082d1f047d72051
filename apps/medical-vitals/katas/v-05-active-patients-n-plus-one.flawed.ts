import type pg from 'pg';

/**
 * The reviewed design's `/api/dashboard/active-patients` (vitals review §2: "likely needs to join patients,
 * devices, and vital_data … Without explicit eager loading strategy, this will trigger N+1 queries"):
 * load the ward's active patients, then, per patient, its devices, its latest reading and its open alerts.
 * 1 + 3N statements for N patients.
 */
export async function activePatientsWithLazyLoading(pool: pg.Pool, wardId: string): Promise<unknown[]> {
  const { rows: patients } = await pool.query<{ id: string; name: string }>(
    "SELECT id, name FROM patients WHERE ward_id = $1 AND status = 'active' ORDER BY id",
    [wardId],
  );
  const result: unknown[] = [];
  for (const patient of patients) {
    const { rows: devices } = await pool.query('SELECT id, serial FROM devices WHERE patient_id = $1', [
      patient.id,
    ]);
    const { rows: latest } = await pool.query<Record<string, unknown>>(
      'SELECT * FROM vital_data WHERE patient_id = $1 ORDER BY recorded_at DESC LIMIT 1',
      [patient.id],
    );
    const { rows: alerts } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM alerts WHERE patient_id = $1 AND cleared_at IS NULL',
      [patient.id],
    );
    result.push({ ...patient, devices, latest: latest[0] ?? null, openAlerts: alerts[0]?.n ?? 0 });
  }
  return result;
}
