/** One patient's readings in [from, to) in time order, read through a cursor (pg-query-stream). */
export const REPORT_ROWS_SQL = `
SELECT recorded_at, device_id, seq, heart_rate, spo2, systolic, diastolic, temperature
  FROM vital_data
 WHERE patient_id = $1 AND recorded_at >= $2 AND recorded_at < $3
 ORDER BY recorded_at, device_id`;

export const REPORT_PATIENT_SQL = 'SELECT id FROM patients WHERE id = $1';
