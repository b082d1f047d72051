import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { runReportInChild } from './live-support/run-report-child.js';
import { seedReadingSeries } from './live-support/seed-vitals.js';
import { seedRegistry } from './support/seed-registry.js';

/** Enough rows to dwarf a Node process's baseline; the bench runs 1,000,000. */
export const FINDING_ROWS = 300_000;
const MB = 1024 * 1024;

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: 1 });
  const device = registry.devices[0]!;
  const to = new Date();
  const from = new Date(to.getTime() - FINDING_ROWS * 1000 - 60_000);
  await seedReadingSeries(
    ctx.pool,
    device.patientId,
    device.id,
    FINDING_ROWS,
    new Date(from.getTime() + 1_000),
  );
  ctx.log(`${variant}: ${FINDING_ROWS} readings seeded`);
  const result = await runReportInChild({
    variant,
    databaseUrl: ctx.databaseUrl,
    patientId: device.patientId,
    from: from.toISOString(),
    to: to.toISOString(),
  });
  const growth = (result.peakRssBytes - result.baselineRssBytes) / MB;
  ctx.log(
    `${variant}: report of ${(result.reportBytes / MB).toFixed(1)} MB, peak RSS +${growth.toFixed(0)} MB over baseline`,
  );
  return {
    value: Math.max(0, growth),
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
    'Building a report from one query that returns the whole period holds every row as an object and the whole CSV as a string: memory grows with the period (a weekly report at 1 Hz is 600,000 rows per patient), and a few reports at once exhaust the heap. The remedy streams the CSV from a server-side cursor (pg-query-stream, 1,000 rows per fetch) through a transform into the HTTP response; the next batch is fetched only after the response has drained the last one, and the summary is kept as running totals, so peak memory stays flat whatever the row count.',
  fix: [
    'src/reports/report.service.ts',
    'src/reports/report-csv.transform.ts',
    'src/reports/reports.controller.ts',
  ],
  metric: { name: 'peak RSS growth while generating the report', unit: 'MB', better: 'lower' },
  measure,
  flawed: (growthMb) => growthMb > 100,
  remediated: (growthMb) => growthMb < 50,
  timeoutMs: 120_000,
});
