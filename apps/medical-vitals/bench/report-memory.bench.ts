import { defineBench } from '@remedy/testing';
import { runReportInChild } from '../findings/live-support/run-report-child.js';
import { seedReadingSeries } from '../findings/live-support/seed-vitals.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { BENCH_REPORT_ROWS } from './support/bench-settings.js';

const MB = 1024 * 1024;

export default defineBench({
  name: 'medical-vitals: report peak RSS over 1M rows, in memory (kata) vs streamed cursor',
  harness: medicalVitalsHarness,
  async run(ctx) {
    const registry = await seedRegistry(ctx.pool, { patients: 1 });
    const device = registry.devices[0]!;
    const to = new Date();
    const from = new Date(to.getTime() - BENCH_REPORT_ROWS * 1000 - 60_000);
    let started = performance.now();
    await seedReadingSeries(
      ctx.pool,
      device.patientId,
      device.id,
      BENCH_REPORT_ROWS,
      new Date(from.getTime() + 1_000),
    );
    ctx.log(
      `seeded ${BENCH_REPORT_ROWS.toLocaleString('en')} readings in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await ctx.pool.query('ANALYZE vital_data');
    const job = {
      databaseUrl: ctx.databaseUrl,
      patientId: device.patientId,
      from: from.toISOString(),
      to: to.toISOString(),
    };
    const result: Record<string, number> = { rows: BENCH_REPORT_ROWS };
    for (const variant of ['flawed', 'remediated'] as const) {
      started = performance.now();
      const memory = await runReportInChild({ ...job, variant });
      const seconds = (performance.now() - started) / 1000;
      const growth = (memory.peakRssBytes - memory.baselineRssBytes) / MB;
      ctx.log(
        `${variant}: ${(memory.reportBytes / MB).toFixed(0)} MB report in ${seconds.toFixed(1)} s, peak RSS ${(memory.peakRssBytes / MB).toFixed(0)} MB (+${growth.toFixed(0)} MB)`,
      );
      result[`${variant} peak RSS MB`] = Math.round(memory.peakRssBytes / MB);
      result[`${variant} RSS growth MB`] = Math.round(growth);
      result[`${variant} seconds`] = Number(seconds.toFixed(1));
      result['report MB'] = Math.round(memory.reportBytes / MB);
    }
    result['growth ratio flawed ÷ remediated'] = Number(
      (result['flawed RSS growth MB']! / Math.max(1, result['remediated RSS growth MB']!)).toFixed(1),
    );
    return result;
  },
});
