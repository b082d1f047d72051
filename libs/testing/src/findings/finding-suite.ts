import type { PackageHarness } from '../package-harness.js';
import type { Finding } from './finding.js';

/** A package's findings and how to build the database they measure on. */
export interface FindingSuite extends PackageHarness {
  findings: Finding[];
}

export function defineFindingSuite(suite: FindingSuite): FindingSuite {
  const seen = new Set<string>();
  for (const finding of suite.findings) {
    for (const id of [finding.id, ...finding.alsoCovers]) {
      if (seen.has(id)) throw new Error(`defineFindingSuite(${suite.name}): finding ${id} is declared twice`);
      seen.add(id);
    }
  }
  return suite;
}
