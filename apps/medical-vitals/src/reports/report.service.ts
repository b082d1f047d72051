import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { REPORTS_POOL } from '../read-replica/read-replica.tokens.js';
import { ReportCsvTransform } from './report-csv.transform.js';
import { REPORT_PATIENT_SQL, REPORT_ROWS_SQL } from './report.sql.js';

/** Rows fetched per cursor round trip: enough to amortise the round trip, small enough to stay flat. */
const CURSOR_BATCH_ROWS = 1_000;

/**
 * Patient reports as CSV streamed from a server-side cursor on the replica (V-09, V-13). The cursor
 * fetches the next batch only when the HTTP response has drained the previous one, so memory stays flat
 * however many rows the period holds and however slowly the client downloads.
 */
@Injectable()
export class ReportService {
  constructor(@Inject(REPORTS_POOL) private readonly pool: PgPool) {}

  async stream(patientId: string, from: Date, to: Date): Promise<Readable> {
    const { rows } = await this.pool.query(REPORT_PATIENT_SQL, [patientId]);
    if (rows.length === 0) throw new NotFoundException(`patient ${patientId} not found`);
    const client = await this.pool.connect();
    let released = false;
    const release = (error?: Error): void => {
      if (released) return;
      released = true;
      client.release(error);
    };
    const cursor = client.query(new QueryStream(REPORT_ROWS_SQL, [patientId, from, to], { batchSize: CURSOR_BATCH_ROWS, highWaterMark: CURSOR_BATCH_ROWS }));
    const csv = new ReportCsvTransform();
    cursor.on('error', (error: Error) => {
      release(error);
      csv.destroy(error);
    });
    cursor.on('end', () => release());
    // A client that goes away mid-download destroys the response stream; the cursor goes with it, and
    // the connection is discarded rather than returned with an open portal.
    csv.on('close', () => {
      if (!cursor.destroyed && !cursor.readableEnded) {
        cursor.destroy();
        release(new Error('report download aborted'));
      }
    });
    return cursor.pipe(csv);
  }
}
