// The kata-shaped reference solutions (apps/<app>/katas/<kata>.solution.ts) that `npm run kata -- solution`
// diffs against a learner's copy. A learner may copy one over their copy, and the module hook then serves it
// at the kata's URL in the proof's place: so it must be the kata's shape (the same exported names, of the same
// kinds) and be type-checked like the kata. Whether each one passes its proof is the
// kata loop's job (kata-loop.spec.ts, three of them) and the ledger's; here, only what is cheap to hold for all.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');
const appsDir = join(repoRoot, 'apps');

interface Solution {
  name: string;
  kata: string;
  solution: string;
}

const SOLUTIONS: Solution[] = readdirSync(appsDir).flatMap((app) => {
  const katasDir = join(appsDir, app, 'katas');
  if (!existsSync(katasDir)) return [];
  return readdirSync(katasDir)
    .filter((file) => file.endsWith('.solution.ts'))
    .map((file) => ({
      name: `${app}/${file}`,
      kata: join(katasDir, file.replace(/\.solution\.ts$/, '.flawed.ts')),
      solution: join(katasDir, file),
    }));
});

/**
 * Each export's name and kind (class or function, string, object…). Constructors may differ: a solution's
 * Nest provider may ask the injector for more than the kata did.
 */
function shapeOf(module: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(module).map(([name, value]) => [name, typeof value]));
}

describe('kata reference solutions', () => {
  test('exist for katas', () => {
    expect(SOLUTIONS.length).toBeGreaterThan(0);
  });

  test.each(SOLUTIONS)('$name has a kata next to it', ({ kata }) => {
    expect(existsSync(kata)).toBe(true);
  });

  test.each(SOLUTIONS)(
    '$name exports what its kata exports, in the same shape',
    async ({ kata, solution }) => {
      // One after the other: jest's ESM loader can lose a module that two imports link at once.
      const flawed = (await import(kata)) as Record<string, unknown>;
      const solved = (await import(solution)) as Record<string, unknown>;
      expect(shapeOf(solved)).toEqual(shapeOf(flawed));
    },
  );

  test.each(SOLUTIONS)('$name changes its kata', ({ kata, solution }) => {
    expect(readFileSync(solution, 'utf8')).not.toBe(readFileSync(kata, 'utf8'));
  });

  test('are type-checked by npm run lint (the root tsconfig includes every kata file)', () => {
    const { include } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8')) as {
      include: string[];
    };
    for (const { solution } of SOLUTIONS) {
      const path = relative(repoRoot, solution);
      expect(include.some((pattern) => matchesGlob(path, pattern))).toBe(true);
    }
  });

  test('are never imported by production code', () => {
    const sources = readdirSync(appsDir).flatMap((app) => {
      const src = join(appsDir, app, 'src');
      if (!existsSync(src)) return [];
      return readdirSync(src, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
        .map((entry) => join(entry.parentPath, entry.name));
    });
    const importing = sources.filter((file) => /from '[^']*\/katas\//.test(readFileSync(file, 'utf8')));
    expect(importing).toEqual([]);
  });
});
