// `npm run ledger`: writes docs/findings/<package>.md from the last demo run (reports/findings.json).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverFindingSuites, renderFindingsLedger, type FindingResult } from '@remedy/testing';

const root = new URL('..', import.meta.url).pathname;
const reportPath = join(root, 'reports', 'findings.json');
if (!existsSync(reportPath)) {
  console.error('No reports/findings.json: run `npm run demo` first.');
  process.exit(1);
}

interface StoredResult extends Omit<FindingResult, 'finding'> {
  finding: { id: string };
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
  generatedAt: string;
  servers: string;
  results: StoredResult[];
};

// Titles, explanations and fix paths come from the finding files as they are now; numbers from the run.
const suites = await discoverFindingSuites(root);
const byPackage = new Map<string, FindingResult[]>();
for (const stored of report.results) {
  const finding = suites
    .flatMap(({ suite }) => suite.findings)
    .find((candidate) => candidate.id === stored.finding.id);
  if (!finding) continue;
  byPackage.set(stored.packagePath, [...(byPackage.get(stored.packagePath) ?? []), { ...stored, finding }]);
}

mkdirSync(join(root, 'docs', 'findings'), { recursive: true });
for (const [packagePath, results] of byPackage) {
  // An app's ledger is named after the app (docs/findings/event-registration.md), a library's keeps its prefix.
  const name = packagePath.startsWith('apps/')
    ? packagePath.slice('apps/'.length)
    : packagePath.replace('/', '-');
  const file = join(root, 'docs', 'findings', `${name}.md`);
  writeFileSync(file, renderFindingsLedger(packagePath, results, report));
  console.log(`wrote ${file.slice(root.length)}`);
}
