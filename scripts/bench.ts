// `npm run bench [filter…]`: runs every <package>/bench/*.bench.ts in one process and writes reports/bench.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { discoverBenchFiles, runBench, startTestServers, type BenchOutcome } from '@remedy/testing';

const root = new URL('..', import.meta.url).pathname;

async function main(): Promise<number> {
  const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
  console.log(`remedy bench — ${servers.describe()}`);
  const outcomes: BenchOutcome[] = [];
  try {
    const files = discoverBenchFiles(root, process.argv.slice(2));
    for (const [index, file] of files.entries()) {
      console.log(`\n[${index + 1}/${files.length}] ${file}`);
      const outcome = await runBench(root, file, (line) => console.log(`    ${line}`));
      outcomes.push(outcome);
      if (outcome.error) console.log(`  FAILED: ${outcome.error}`);
      else
        console.log(
          `  ${outcome.name} (${(outcome.durationMs / 1000).toFixed(1)} s)\n${JSON.stringify(outcome.result, null, 2).replace(/^/gm, '  ')}`,
        );
    }
  } finally {
    await servers.stop();
  }
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    results: Object.fromEntries(
      outcomes.map((outcome) => [outcome.name, outcome.error ? { error: outcome.error } : outcome.result]),
    ),
  };
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(join(root, 'reports', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nWrote reports/bench.json');
  return outcomes.some((outcome) => outcome.error) ? 1 : 0;
}

process.exitCode = await main();
