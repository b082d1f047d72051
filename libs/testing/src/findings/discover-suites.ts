import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FindingSuite } from './finding-suite.js';

export interface DiscoveredSuite {
  /** e.g. `libs/outbox` or `apps/event-registration` */
  packagePath: string;
  suite: FindingSuite;
}

/** Every package's `findings/index.ts` under `<root>/libs/*` and `<root>/apps/*`, libs first. */
export async function discoverFindingSuites(root: string, only?: string[]): Promise<DiscoveredSuite[]> {
  const found: DiscoveredSuite[] = [];
  for (const group of ['libs', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const index = join(groupDir, name, 'findings', 'index.ts');
      if (!existsSync(index)) continue;
      if (only && only.length > 0 && !only.includes(name)) continue;
      const module = (await import(pathToFileURL(index).href)) as { default?: FindingSuite };
      if (!module.default)
        throw new Error(`${group}/${name}/findings/index.ts has no default export (defineFindingSuite(...))`);
      found.push({ packagePath: `${group}/${name}`, suite: module.default });
    }
  }
  return found;
}
