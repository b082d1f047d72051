import type pg from 'pg';
import type { SeededRegistry } from '../support/seed-registry.js';

/** One recent reading per seeded device, in one statement. */
export async function seedLatestReadings(pool: pg.Pool, registry: SeededRegistry): Promise<void> {
  await pool.query(
    `INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
     SELECT patient_id, device_id, now() - interval '1 minute', 1, 72, 97, 120, 80, 36.8
       FROM unnest($1::uuid[], $2::uuid[]) AS d(patient_id, device_id)`,
    [registry.devices.map((device) => device.patientId), registry.devices.map((device) => device.id)],
  );
}

/** Readings of one patient from `from` onwards, one per second, with generate_series (a million in seconds). */
export async function seedReadingSeries(
  pool: pg.Pool,
  patientId: string,
  deviceId: string,
  rows: number,
  from: Date,
): Promise<void> {
  await pool.query(
    `INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
     SELECT $1, $2, $3::timestamptz + make_interval(secs => g), g, 55 + g % 50, 90 + g % 10, 100 + g % 50, 60 + g % 30, 36.0 + (g % 20) / 10.0
       FROM generate_series(0, $4::int - 1) g`,
    [patientId, deviceId, from, rows],
  );
}
