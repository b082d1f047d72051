import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import type pg from 'pg';
import type { ReportRun } from './live-support/report-memory-child.js';
import { runReportInChild } from './live-support/run-report-child.js';
import { seedReadingSeries } from './live-support/seed-vitals.js';
import { seedRegistry } from './support/seed-registry.js';

/** A week at 1 Hz is 600,000 readings per device; the catalogue asks for 1M. */
export const FINDING_ROWS = 1_000_000;
const MB = 1024 * 1024;

const FLAWS = {
  'cursor read without awaiting drain':
    "ReportService's cursor read in flowing mode, each row written to the CSV transform without waiting for 'drain'",
  'CSV collected before sending':
    "ReportService's cursor and transform, but the CSV collected whole before the first byte is sent",
} as const satisfies Partial<Record<ReportRun, string>>;

/** One patient's readings, one a second up to a minute ago: the rows every run's report reads, seeded once. */
async function seed(pool: pg.Pool): Promise<void> {
  const registry = await seedRegistry(pool, { patients: 1 });
  const device = registry.devices[0]!;
  const first = new Date(Date.now() - FINDING_ROWS * 1000 - 59_000);
  await seedReadingSeries(pool, device.patientId, device.id, FINDING_ROWS, first);
  await pool.query('ANALYZE vital_data');
}

async function measure(variant: ReportRun, ctx: FindingContext): Promise<Measurement> {
  const { rows } = await ctx.pool.query<{ patient_id: string; first: Date }>(
    'SELECT patient_id, min(recorded_at) AS first FROM vital_data GROUP BY patient_id',
  );
  const seeded = rows[0]!;
  const to = new Date();
  const from = new Date(seeded.first.getTime() - 1_000);
  const result = await runReportInChild({
    variant,
    databaseUrl: ctx.databaseUrl,
    patientId: seeded.patient_id,
    from: from.toISOString(),
    to: to.toISOString(),
    slowClient: true,
  });
  const growth = (result.peakRssBytes - result.baselineRssBytes) / MB;
  ctx.log(
    `${variant}: report of ${(result.reportBytes / MB).toFixed(1)} MB, peak RSS +${growth.toFixed(0)} MB over baseline`,
  );
  return {
    value: Math.max(0, Number(growth.toFixed(1))),
    details: {
      rows: FINDING_ROWS,
      'report MB': Number((result.reportBytes / MB).toFixed(1)),
      'peak RSS MB': Math.round(result.peakRssBytes / MB),
    },
  };
}

export default defineFinding({
  id: 'vitals:V-09',
  title: 'Reports load the whole history into memory',
  explanation:
    'Building a report from one query that returns the whole period holds every row as an object and the whole CSV as a string: memory grows with the period (a weekly report at 1 Hz is 600,000 rows per patient), and a few reports at once exhaust the heap. The remedy streams the CSV from a server-side cursor (pg-query-stream, 1,000 rows per fetch) through a transform into the HTTP response; the next batch is fetched only after the response has drained the last one, and the summary is kept as running totals, so peak memory stays flat whatever the row count. The client here is slow on purpose: it reads about 16 KB per database round trip while a cursor fetch brings about 80 KB, so a source that ignores backpressure has to hold the difference.',
  fix: [
    'src/reports/report.service.ts',
    'src/reports/report-csv.transform.ts',
    'src/reports/reports.controller.ts',
  ],
  metric: { name: 'peak RSS growth while generating the report', unit: 'MB', better: 'lower' },
  difficulty: 2,
  hints: [
    'The report holds every row, then the whole CSV, in memory. Does it need to?',
    'Send the CSV as you read it, and read the next rows only when the client has taken the last ones.',
    'A server-side cursor (pg-query-stream) piped through a transform into the response gives you backpressure for free; keep the summary as running totals.',
    'The technique: streaming with backpressure from a database cursor to the HTTP response.',
  ],
  seam: "ReportService.stream (the Nest provider GET /patients/:id/report streams from) ← katas/v-09-report-in-memory.flawed.ts InMemoryReportService, on the same reports pool, in a child process so its peak RSS is the report's alone, read by a slow client",
  flawsPutBack: FLAWS,
  seed,
  measure,
  // The 1M-row CSV is ≈ 83 MB. A streamed report's growth is V8's and pg's working set, measured at 25–75 MB
  // across runs; holding the report (rows or CSV) costs several times its size: ≥ 270 MB measured.
  flawed: (growthMb) => growthMb > 400,
  remediated: (growthMb) => growthMb < 150,
  timeoutMs: 240_000,
});
