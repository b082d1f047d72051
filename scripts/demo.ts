// `npm run demo [package…]`: runs every finding of every package, flawed and remediated (packages in child
// processes, DEMO_LANES at a time, default 2), prints a table,
// and writes reports/findings.md and reports/index.html. Starts an embedded PostgreSQL when none answers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  allIds,
  discoverFindingSuites,
  formatFlawsPutBack,
  formatVariant,
  improvementRatio,
  renderFindingsHtml,
  renderFindingsMarkdown,
  runFindings,
  startTestServers,
  verdict,
  type DiscoveredSuite,
  type FindingResult,
} from '@remedy/testing';

const root = new URL('..', import.meta.url).pathname;
const reportsDir = join(root, 'reports');

function printTable(results: FindingResult[]): void {
  const rows = results.map((result) => [
    allIds(result.finding),
    result.finding.metric.name,
    formatVariant(result, 'flawed'),
    formatVariant(result, 'remediated'),
    formatFlawsPutBack(result),
    improvementRatio(result),
    verdict(result),
  ]);
  const header = ['ID', 'metric', 'flawed', 'remediated', 'put back', 'ratio', 'verdict'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

/** A finding's result as a child run stores it: the finding by id, re-attached from the suites here. */
interface StoredResult extends Omit<FindingResult, 'finding'> {
  finding: { id: string };
}

interface StoredRun {
  servers: string;
  results: StoredResult[];
}

function report(results: FindingResult[], servers: string, started: number): number {
  printTable(results);
  const meta = { generatedAt: new Date().toISOString(), servers };
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'findings.md'), renderFindingsMarkdown(results, meta));
  writeFileSync(join(reportsDir, 'index.html'), renderFindingsHtml(results, meta));
  writeFileSync(join(reportsDir, 'findings.json'), JSON.stringify({ ...meta, results }, null, 2));
  const proven = results.filter((result) => result.proven).length;
  console.log(
    `\n${proven}/${results.length} proven in ${((performance.now() - started) / 1000).toFixed(0)} s. Reports: reports/findings.md, reports/index.html`,
  );
  return proven === results.length ? 0 : 1;
}

/** Runs the suites in this process, one finding after another; returns the results and the servers used. */
async function runHere(suites: DiscoveredSuite[]): Promise<{ results: FindingResult[]; servers: string }> {
  const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
  console.log(`remedy demo — ${servers.describe()}`);
  try {
    const total = suites.reduce((sum, { suite }) => sum + suite.findings.length, 0);
    console.log(`${total} findings in ${suites.length} packages\n`);
    const results = await runFindings(suites, {
      onFindingDone: (result, index) => {
        const measured = [
          ...result.variants.map((variant) => `${variant.variant} ${formatVariant(result, variant.variant)}`),
          ...(result.flawsPutBack.length > 0 ? [`put back ${formatFlawsPutBack(result)}`] : []),
        ].join(', ');
        const runs = [...result.variants, ...result.flawsPutBack];
        const seconds = (runs.reduce((sum, run) => sum + run.durationMs, 0) / 1000).toFixed(1);
        console.log(
          `[${index}/${total}] ${allIds(result.finding)} ${result.finding.title}: ${verdict(result)} ` +
            `(${measured}${result.error ? `; ${result.error}` : ''}; ${seconds} s)`,
        );
      },
    });
    return { results, servers: servers.describe() };
  } finally {
    await servers.stop();
  }
}

/**
 * Runs each package in a child process of its own, `lanes` at a time, as jest's workers run test files: the
 * proofs count what the service did, so they hold with a neighbour on the other core, and separate processes
 * keep one package's environment and module state away from another's. Results come back as JSON files.
 */
async function runInLanes(
  suites: DiscoveredSuite[],
  lanes: number,
): Promise<{ results: FindingResult[]; servers: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'remedy-demo-'));
  const findingsById = new Map(
    suites.flatMap(({ suite }) => suite.findings).map((finding) => [finding.id, finding]),
  );
  const runs = new Map<string, StoredRun>();
  const queue = [...suites];
  const runPackage = async ({ packagePath }: DiscoveredSuite): Promise<void> => {
    const name = basename(packagePath);
    const outPath = join(outDir, `${name}.json`);
    const child = spawn(process.execPath, ['--import', './scripts/register.js', 'scripts/demo.ts', name], {
      cwd: root,
      env: { ...process.env, DEMO_RESULTS_FILE: outPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (line) => console.log(`${name} | ${line}`));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (existsSync(outPath)) runs.set(packagePath, JSON.parse(readFileSync(outPath, 'utf8')) as StoredRun);
    else console.log(`${name} | stopped with exit code ${code} before reporting its results`);
  };
  await Promise.all(
    Array.from({ length: Math.min(lanes, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runPackage(next);
    }),
  );
  rmSync(outDir, { recursive: true, force: true });
  const results = suites.flatMap(({ packagePath }) =>
    (runs.get(packagePath)?.results ?? []).map((stored) => ({
      ...stored,
      finding: findingsById.get(stored.finding.id)!,
    })),
  );
  const missing = suites
    .filter(({ packagePath }) => !runs.has(packagePath))
    .map(({ packagePath }) => packagePath);
  if (missing.length > 0) console.log(`\nNo results from: ${missing.join(', ')}`);
  const servers = [...new Set([...runs.values()].map((run) => run.servers))].join('; ');
  return { results, servers };
}

async function main(): Promise<number> {
  const started = performance.now();
  const suites = await discoverFindingSuites(root, process.argv.slice(2));
  const resultsFile = process.env.DEMO_RESULTS_FILE;
  if (resultsFile) {
    // A child of runInLanes: run here and hand the results back.
    const { results, servers } = await runHere(suites);
    writeFileSync(resultsFile, JSON.stringify({ servers, results }));
    return 0;
  }
  const lanes = Number(process.env.DEMO_LANES ?? 2);
  const { results, servers } =
    suites.length > 1 && lanes > 1 ? await runInLanes(suites, lanes) : await runHere(suites);
  return report(results, servers, started);
}

process.exitCode = await main();
