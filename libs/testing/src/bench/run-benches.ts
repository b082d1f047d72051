import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createIsolatedContext } from '../context/isolated-context.js';
import type { Bench, BenchResult } from './bench.js';

export interface BenchOutcome {
  file: string;
  name: string;
  durationMs: number;
  result?: BenchResult;
  error?: string;
}

/** `<root>/{libs,apps}/*\/bench/*.bench.ts`, optionally only files whose path contains one of `filters`. */
export function discoverBenchFiles(root: string, filters: string[] = []): string[] {
  const files: string[] = [];
  for (const group of ['libs', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const benchDir = join(groupDir, name, 'bench');
      if (!existsSync(benchDir)) continue;
      for (const file of readdirSync(benchDir).sort()) {
        const path = `${group}/${name}/bench/${file}`;
        if (
          file.endsWith('.bench.ts') &&
          (filters.length === 0 || filters.some((filter) => path.includes(filter)))
        )
          files.push(path);
      }
    }
  }
  return files;
}

export async function runBench(
  root: string,
  file: string,
  log: (line: string) => void,
): Promise<BenchOutcome> {
  const started = performance.now();
  let name = file;
  try {
    const { default: bench } = (await import(pathToFileURL(join(root, file)).href)) as { default: Bench };
    name = bench.name;
    const context = await createIsolatedContext(bench.harness, { log });
    try {
      const result = await bench.run(context);
      return { file, name, durationMs: performance.now() - started, result };
    } finally {
      await context.dispose();
    }
  } catch (error) {
    return {
      file,
      name,
      durationMs: performance.now() - started,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}
