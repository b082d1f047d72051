import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exercise } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { REPO_ROOT, shown } from '../kata-home.js';

/** The service's own code behind the finding: the TypeScript files its `fix` lists (ADRs are named, not diffed). */
function referenceFiles(exercise: Exercise): string[] {
  const appDir = join(REPO_ROOT, 'apps', exercise.app);
  return (exercise.finding.fix ?? [])
    .map((path) => join(appDir, path))
    .filter((path) => path.endsWith('.ts') && existsSync(path));
}

/**
 * `npm run kata -- solution <ID>`: the reference fix as a diff against the learner's copy (or the kata, before
 * `start`), one diff per file of the fix. Shows, never writes.
 */
export function solutionCommand(exercise: Exercise): number {
  if (exercise.kind !== 'kata')
    throw new KataUsageError(
      `${exercise.id} is a reading exercise: its fix is described in ${exercise.ledger}`,
    );
  const references = referenceFiles(exercise);
  const [main] = exercise.files;
  const yours = main && existsSync(main.copy) ? main.copy : main!.kata;
  console.log(
    `The reference fix of ${exercise.id} lives in the service (${references.map((path) => relative(REPO_ROOT, path)).join(', ')}).` +
      `\nBelow: what turns ${shown(yours)} into it. Keep your copy's class names and constructor (the` +
      ' proof plugs your class in at the seam) and bring the technique across.\n',
  );
  for (const reference of references) {
    const diff = spawnSync(
      'git',
      ['diff', '--no-index', `--color=${process.stdout.isTTY ? 'always' : 'never'}`, '--', yours, reference],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    if (diff.status !== 0 && diff.status !== 1) throw new Error(`git diff failed: ${diff.stderr}`);
    process.stdout.write(diff.stdout);
  }
  const other = (exercise.finding.fix ?? []).filter((path) => !path.endsWith('.ts'));
  if (other.length > 0) console.log(`\nWhy it is built that way: ${other.join(', ')}`);
  return 0;
}
