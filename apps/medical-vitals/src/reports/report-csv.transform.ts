import { Transform, type TransformCallback } from 'node:stream';

export interface ReportRow {
  recorded_at: Date;
  device_id: string;
  seq: string;
  heart_rate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: string | null;
}

const METRICS = ['heart_rate', 'spo2', 'systolic', 'diastolic', 'temperature'] as const;
export const REPORT_HEADER = `recorded_at,device_id,seq,${METRICS.join(',')}\n`;

interface Running {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * Rows in, CSV lines out, one row at a time; the summary (count, min, mean, max per metric) is kept as
 * running totals and written as trailing `#` lines, so nothing grows with the number of rows.
 */
export class ReportCsvTransform extends Transform {
  private readonly running = new Map<string, Running>(METRICS.map((metric) => [metric, { count: 0, sum: 0, min: Infinity, max: -Infinity }]));
  private rows = 0;

  constructor() {
    super({ writableObjectMode: true, readableHighWaterMark: 64 * 1024 });
    this.push(REPORT_HEADER);
  }

  override _transform(row: ReportRow, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.rows += 1;
    const values = METRICS.map((metric) => (row[metric] === null ? null : Number(row[metric])));
    values.forEach((value, index) => {
      if (value === null) return;
      const running = this.running.get(METRICS[index] as string) as Running;
      running.count += 1;
      running.sum += value;
      if (value < running.min) running.min = value;
      if (value > running.max) running.max = value;
    });
    callback(null, `${row.recorded_at.toISOString()},${row.device_id},${row.seq},${values.map((v) => (v === null ? '' : String(v))).join(',')}\n`);
  }

  override _flush(callback: TransformCallback): void {
    const lines = [`# rows,${this.rows}\n`];
    for (const [metric, running] of this.running) {
      if (running.count === 0) continue;
      lines.push(`# ${metric},min ${running.min},mean ${(running.sum / running.count).toFixed(1)},max ${running.max}\n`);
    }
    callback(null, lines.join(''));
  }
}
