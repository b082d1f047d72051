import type pg from 'pg';

/**
 * The reviewed Report Generator (vitals review §4: "doesn't specify pagination/streaming strategy. Loading
 * entire patient vital history into memory will cause OOM errors"): one query returns the whole period,
 * the rows become an array of objects, and the CSV is built as one string before anything is sent.
 */
export async function buildReportInMemory(
  pool: pg.Pool,
  patientId: string,
  from: Date,
  to: Date,
): Promise<string> {
  const { rows } = await pool.query<{
    recorded_at: Date;
    device_id: string;
    seq: string;
    heart_rate: number | null;
    spo2: number | null;
    systolic: number | null;
    diastolic: number | null;
    temperature: string | null;
  }>(
    `SELECT recorded_at, device_id, seq, heart_rate, spo2, systolic, diastolic, temperature
       FROM vital_data WHERE patient_id = $1 AND recorded_at >= $2 AND recorded_at < $3 ORDER BY recorded_at`,
    [patientId, from, to],
  );
  const heartRates = rows.map((row) => row.heart_rate ?? 0);
  const lines = rows.map(
    (row) =>
      `${row.recorded_at.toISOString()},${row.device_id},${row.seq},${row.heart_rate},${row.spo2},${row.systolic},${row.diastolic},${row.temperature}`,
  );
  const summary = `# rows,${rows.length}\n# heart_rate,min ${Math.min(...heartRates.slice(0, 50_000))},max ${Math.max(...heartRates.slice(0, 50_000))}`;
  return ['recorded_at,device_id,seq,heart_rate,spo2,systolic,diastolic,temperature', ...lines, summary].join(
    '\n',
  );
}
