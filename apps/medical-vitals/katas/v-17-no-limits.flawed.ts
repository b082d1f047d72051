import type pg from 'pg';

/**
 * vitals:V-17, the original design: "rate limiting not mentioned", "timeout configurations not defined",
 * "circuit breaker pattern not mentioned". The ingest handler stores whatever a device sends, however
 * fast, and the notification call has no timeout and no breaker: a failing provider is called, and
 * waited for, on every alert.
 */
export const KATA_V17_SQL = `
CREATE TABLE IF NOT EXISTS kata_v17_vital_data (
  data_id BIGSERIAL PRIMARY KEY, device_id uuid NOT NULL, timestamp timestamptz NOT NULL, heart_rate smallint
)`;

export async function onVitalMessage(
  pool: pg.Pool,
  deviceId: string,
  recordedAt: string,
  heartRate: number,
): Promise<void> {
  await pool.query('INSERT INTO kata_v17_vital_data (device_id, timestamp, heart_rate) VALUES ($1, $2, $3)', [
    deviceId,
    recordedAt,
    heartRate,
  ]);
}

export async function notifyProvider(url: string, alert: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(alert) });
  if (!response.ok) throw new Error(`provider answered ${response.status}`);
}
