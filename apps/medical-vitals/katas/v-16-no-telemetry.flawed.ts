import type { Redis } from 'ioredis';
import type pg from 'pg';

/**
 * vitals:V-16, the original design: CloudWatch logs only; "no mention of distributed tracing" and "no
 * performance metrics collection strategy". The handler stores the reading and hands it to the alert
 * service over pub/sub; nothing carries the device's trace context, and nothing counts or times the work.
 */
export const KATA_V16_SQL = `
CREATE TABLE IF NOT EXISTS kata_v16_vital_data (
  data_id BIGSERIAL PRIMARY KEY, device_id uuid NOT NULL, timestamp timestamptz NOT NULL, heart_rate smallint
)`;

export interface KataV16Message {
  deviceId: string;
  recordedAt: string;
  heartRate: number;
  traceparent?: string;
}

export async function onVitalMessage(
  pool: pg.Pool,
  redis: Redis,
  channel: string,
  message: KataV16Message,
): Promise<void> {
  await pool.query('INSERT INTO kata_v16_vital_data (device_id, timestamp, heart_rate) VALUES ($1, $2, $3)', [
    message.deviceId,
    message.recordedAt,
    message.heartRate,
  ]);
  await redis.publish(
    channel,
    JSON.stringify({
      deviceId: message.deviceId,
      recordedAt: message.recordedAt,
      heartRate: message.heartRate,
    }),
  );
}
