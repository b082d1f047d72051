import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { buildReportInMemory } from '../../katas/v-09-report-in-memory.flawed.js';
import { buildConfig } from '../../src/config.js';
import { createReportsPool } from '../../src/read-replica/reader-pools.js';
import { ReportService } from '../../src/reports/report.service.js';

/** Input of the child, as JSON in argv[2]. */
export interface ReportMemoryJob {
  variant: 'flawed' | 'remediated';
  databaseUrl: string;
  patientId: string;
  from: string;
  to: string;
}

/** What the child prints as its last stdout line. */
export interface ReportMemoryResult {
  baselineRssBytes: number;
  peakRssBytes: number;
  reportBytes: number;
}

/**
 * Generates one report in this process and reports its peak RSS (the kernel's high-water mark for the
 * process, so nothing between samples is missed). A sink that discards the bytes stands in for the client.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ReportMemoryJob;
  const from = new Date(job.from);
  const to = new Date(job.to);
  let reportBytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      reportBytes += chunk.length;
      callback();
    },
  });
  let baselineRssBytes: number;
  if (job.variant === 'flawed') {
    const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 1 });
    await pool.query('SELECT 1');
    baselineRssBytes = process.memoryUsage.rss();
    const csv = await buildReportInMemory(pool, job.patientId, from, to);
    sink.end(csv);
    await pool.end();
  } else {
    const pool = createReportsPool(buildConfig({ DATABASE_URL: job.databaseUrl }));
    await pool.query('SELECT 1');
    const service = new ReportService(pool);
    baselineRssBytes = process.memoryUsage.rss();
    await pipeline(await service.stream(job.patientId, from, to), sink);
    await pool.end();
  }
  const result: ReportMemoryResult = {
    baselineRssBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    reportBytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
