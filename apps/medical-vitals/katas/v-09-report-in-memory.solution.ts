import { Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ReportCsvTransform, type ReportRow } from '../src/reports/report-csv.transform.js';
import { REPORT_ROWS_SQL } from '../src/reports/report.sql.js';

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

/** The ReportService interface the controller streams from: a readable of CSV for one patient and period. */
export interface ReportSource {
  stream(patientId: string, from: Date, to: Date): Promise<Readable>;
}

/** The review's generator in place of ReportService: the whole report is built before the first byte leaves. */
export class InMemoryReportService implements ReportSource {
  constructor(private readonly pool: pg.Pool) {}

  // Streamed: a server-side cursor reads 1,000 rows at a time, and pipe() stops reading it whenever the CSV
  // transform's buffer is full (the client reads slower than the database sends), so memory holds a batch, not
  // the period. A client that goes away ends the cursor and discards its connection.
  async stream(patientId: string, from: Date, to: Date): Promise<Readable> {
    const client = await this.pool.connect();
    let released = false;
    const release = (error?: Error): void => {
      if (released) return;
      released = true;
      client.release(error);
    };
    const cursor = client.query(
      new QueryStream(REPORT_ROWS_SQL, [patientId, from, to], { batchSize: 1_000, highWaterMark: 1_000 }),
    );
    const csv = new ReportCsvTransform();
    cursor.on('error', (error: Error) => {
      release(error);
      csv.destroy(error);
    });
    cursor.on('end', () => release());
    csv.on('close', () => {
      if (!cursor.destroyed && !cursor.readableEnded) {
        cursor.destroy();
        release(new Error('report download aborted'));
      }
    });
    return cursor.pipe(csv);
  }
}

/**
 * A close cousin put back into ReportService: the same cursor and CSV transform, but the cursor is read in
 * flowing mode and each row written to the transform without waiting for 'drain', so rows pile up in the
 * transform's buffer whenever the client reads slower than the database sends.
 */
export class UndrainedCursorReportService implements ReportSource {
  constructor(private readonly pool: pg.Pool) {}

  async stream(patientId: string, from: Date, to: Date): Promise<Readable> {
    const client = await this.pool.connect();
    const cursor = client.query(
      new QueryStream(REPORT_ROWS_SQL, [patientId, from, to], { batchSize: 1_000 }),
    );
    const csv = new ReportCsvTransform();
    cursor.on('data', (row: ReportRow) => csv.write(row));
    cursor.on('end', () => {
      client.release();
      csv.end();
    });
    cursor.on('error', (error: Error) => {
      client.release(error);
      csv.destroy(error);
    });
    return csv;
  }
}

/**
 * A close cousin put back into ReportService: the rows still come through the cursor and the transform, but
 * the CSV is collected whole before it is sent (as a framework's "return a string" handler would).
 */
export class CollectedCsvReportService implements ReportSource {
  constructor(private readonly service: ReportSource) {}

  async stream(patientId: string, from: Date, to: Date): Promise<Readable> {
    const chunks: string[] = [];
    for await (const chunk of await this.service.stream(patientId, from, to)) chunks.push(String(chunk));
    return Readable.from([chunks.join('')]);
  }
}
