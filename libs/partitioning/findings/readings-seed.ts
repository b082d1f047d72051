import type pg from 'pg';

export interface ReadingsSeed {
  /** First reading (inclusive) and the end of the seeded span (exclusive). */
  from: Date;
  until: Date;
  perDay: number;
}

/**
 * Inserts evenly spaced readings, `perDay` per 24 h, in one statement. Notes include newlines, quotes,
 * commas and empty strings so an archive round-trip exercises escaping, and NULLs so it tells them apart.
 */
export async function seedReadings(pool: pg.Pool, table: string, seed: ReadingsSeed): Promise<number> {
  const stepMs = 86_400_000 / seed.perDay;
  const count = Math.ceil((seed.until.getTime() - seed.from.getTime()) / stepMs);
  const result = await pool.query(
    `INSERT INTO ${table} (device_id, patient_id, recorded_at, heart_rate, spo2, temperature, note)
     SELECT i % 500 + 1, i % 2000 + 1, $1::timestamptz + i * $2::float8 * interval '1 millisecond',
            60 + (i * 7) % 40, 90 + i % 10, 36.0 + (i % 25) / 10.0,
            CASE WHEN i % 97 = 0 THEN E'rhythm irregular,\\nrecheck "lead II"' WHEN i % 89 = 0 THEN '' END
       FROM generate_series(0, $3::int - 1) AS i`,
    [seed.from.toISOString(), stepMs, count],
  );
  return result.rowCount ?? 0;
}
