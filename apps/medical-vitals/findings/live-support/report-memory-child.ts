import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PgPool } from '@remedy/pooling';
import pg from 'pg';
import {
  CollectedCsvReportService,
  InMemoryReportService,
  UndrainedCursorReportService,
  type ReportSource,
} from '../../katas/v-09-report-in-memory.flawed.js';
import { buildConfig } from '../../src/config.js';
import { createReportsPool } from '../../src/read-replica/reader-pools.js';
import { ReportService } from '../../src/reports/report.service.js';

/** Which report source runs: the service, the review's generator, or the service with a flaw put back. */
export type ReportRun =
  'flawed' | 'remediated' | 'cursor read without awaiting drain' | 'CSV collected before sending';

/** Input of the child, as JSON in argv[2]. */
export interface ReportMemoryJob {
  variant: ReportRun;
  databaseUrl: string;
  patientId: string;
  from: string;
  to: string;
  /**
   * A slow client: it takes what is buffered for it, then waits for one database round trip before taking
   * more, so it reads ≈ 16 KB per round trip while a cursor fetch brings ≈ 80 KB. A source that ignores
   * backpressure has to buffer the difference. Off, the sink discards bytes as fast as they come (the bench).
   */
  slowClient?: boolean;
}

/** What the child prints as its last stdout line. */
export interface ReportMemoryResult {
  baselineRssBytes: number;
  peakRssBytes: number;
  reportBytes: number;
}

const SLOW_CLIENT_BUFFER_BYTES = 16 * 1024;

function sourceFor(run: ReportRun, pool: PgPool): ReportSource {
  switch (run) {
    case 'flawed':
      return new InMemoryReportService(pool);
    case 'remediated':
      return new ReportService(pool);
    case 'cursor read without awaiting drain':
      return new UndrainedCursorReportService(pool);
    case 'CSV collected before sending':
      return new CollectedCsvReportService(new ReportService(pool));
  }
}

/**
 * Generates one report in this process through the source `job.variant` names (each has ReportService's
 * interface, on the reports pool the app gives it) and reports its peak RSS (the kernel's high-water mark
 * for the process, so nothing between samples is missed). The sink stands in for the client.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ReportMemoryJob;
  const from = new Date(job.from);
  const to = new Date(job.to);
  let reportBytes = 0;
  const pacer = new pg.Client({ connectionString: job.databaseUrl });
  await pacer.connect();
  const take = (chunks: Array<{ chunk: Buffer | string }>): void => {
    for (const { chunk } of chunks) reportBytes += Buffer.byteLength(chunk);
  };
  const sink = new Writable({
    highWaterMark: SLOW_CLIENT_BUFFER_BYTES,
    writev(chunks, callback) {
      take(chunks);
      if (!job.slowClient) return callback();
      pacer.query('SELECT 1').then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });
  const pool = createReportsPool(buildConfig({ DATABASE_URL: job.databaseUrl }));
  await pool.query('SELECT 1');
  const source = sourceFor(job.variant, pool);
  const baselineRssBytes = process.memoryUsage.rss();
  await pipeline(await source.stream(job.patientId, from, to), sink);
  await pool.end();
  await pacer.end();
  const result: ReportMemoryResult = {
    baselineRssBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    reportBytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
