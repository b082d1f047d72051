// `npm run demo [package…]`: runs every finding of every package, flawed and remediated, prints a table,
// and writes reports/findings.md and reports/index.html. Starts an embedded PostgreSQL when none answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

async function main(): Promise<number> {
  const started = performance.now();
  const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
  console.log(`remedy demo — ${servers.describe()}`);
  try {
    const suites = await discoverFindingSuites(root, process.argv.slice(2));
    const total = suites.reduce((sum, { suite }) => sum + suite.findings.length, 0);
    console.log(`${total} findings in ${suites.length} packages\n`);
    const results = await runFindings(suites, {
      onFindingStart: (finding, index) =>
        process.stdout.write(`[${index}/${total}] ${allIds(finding)} ${finding.title} … `),
      onFindingDone: (result) => {
        const measured = [
          ...result.variants.map((variant) => `${variant.variant} ${formatVariant(result, variant.variant)}`),
          ...(result.flawsPutBack.length > 0 ? [`put back ${formatFlawsPutBack(result)}`] : []),
        ].join(', ');
        const runs = [...result.variants, ...result.flawsPutBack];
        const seconds = (runs.reduce((sum, run) => sum + run.durationMs, 0) / 1000).toFixed(1);
        console.log(
          `${verdict(result)} (${measured}${result.error ? `; ${result.error}` : ''}; ${seconds} s)`,
        );
      },
    });
    printTable(results);

    const meta = { generatedAt: new Date().toISOString(), servers: servers.describe() };
    mkdirSync(reportsDir, { recursive: true });
    writeFileSync(join(reportsDir, 'findings.md'), renderFindingsMarkdown(results, meta));
    writeFileSync(join(reportsDir, 'index.html'), renderFindingsHtml(results, meta));
    writeFileSync(join(reportsDir, 'findings.json'), JSON.stringify({ ...meta, results }, null, 2));
    const proven = results.filter((result) => result.proven).length;
    console.log(
      `\n${proven}/${results.length} proven in ${((performance.now() - started) / 1000).toFixed(0)} s. Reports: reports/findings.md, reports/index.html`,
    );
    return proven === results.length ? 0 : 1;
  } finally {
    await servers.stop();
  }
}

process.exitCode = await main();
