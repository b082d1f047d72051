import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { buildConfig } from '../src/config.js';
import { capacityDocBlock } from './live-support/capacity-doc.js';

interface PoolPlan {
  scenarios: Array<{ name: string; env: Record<string, string>; poolMax: number }>;
  writeMaxConcurrentFlushes: number;
}

async function measure(_variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const plan = await capacityDocBlock<PoolPlan>('v-08');
  const mismatches: string[] = [];
  const details: Record<string, number | string> = {};
  for (const scenario of plan.scenarios) {
    const config = buildConfig({ DATABASE_URL: ctx.databaseUrl, ...scenario.env });
    details[`pool max, ${scenario.name}`] = config.database.poolMax;
    if (config.database.poolMax !== scenario.poolMax)
      mismatches.push(
        `${scenario.name}: the doc says ${scenario.poolMax}, the config computes ${config.database.poolMax}`,
      );
    if (config.writer.maxConcurrentFlushes !== plan.writeMaxConcurrentFlushes)
      mismatches.push(
        `${scenario.name}: the doc says ${plan.writeMaxConcurrentFlushes} concurrent flushes, the config has ${config.writer.maxConcurrentFlushes}`,
      );
    if (config.writer.maxConcurrentFlushes >= config.database.poolMax)
      mismatches.push(
        `${scenario.name}: ${config.writer.maxConcurrentFlushes} concurrent flushes leave no connection of ${config.database.poolMax} free`,
      );
  }
  for (const mismatch of mismatches) ctx.log(`mismatch: ${mismatch}`);
  return {
    value: mismatches.length,
    details: { ...details, 'write flushes in flight (max)': plan.writeMaxConcurrentFlushes },
  };
}

export default defineFinding({
  id: 'vitals:V-08',
  title: 'Default connection pool (~10) for 5,000 writes/s',
  kind: 'design',
  why: 'Pool exhaustion under the original one-INSERT-per-reading load depends on disk and checkpoint timing of the machine, not on the design alone; the remedy is a sizing formula and fewer, larger statements. The proof checks that the sizes written in docs/capacity-medical-vitals.md are the ones the service computes, and that the write path cannot take every connection; bench/devices-5000.bench.ts measures pool waits at the target load.',
  explanation:
    "A pool left at its default is either too small for one INSERT per reading at 5,000/s (Little's law: 7.5 connections busy in the steady state, 15 in a stall, of 10) or, raised to 50-100 as the review suggests, larger than the server can run at once. The remedy batches the writes (40 commits/s instead of 5,000) and sizes each instance's pool from max_connections, the instance count and the server's cores, with a connection timeout that fails fast.",
  fix: ['src/config.ts', 'src/database/data-source.factory.ts', '../../docs/capacity-medical-vitals.md'],
  metric: {
    name: 'differences between the capacity doc and the config',
    unit: 'differences',
    better: 'lower',
  },
  measure,
  remediated: (mismatches) => mismatches === 0,
  timeoutMs: 30_000,
});
