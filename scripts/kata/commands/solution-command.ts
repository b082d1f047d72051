import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exercise, KataFile } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { REPO_ROOT, shown } from '../kata-home.js';

/** The service's own code behind the finding: the TypeScript files its `fix` lists (ADRs are named, not diffed). */
function referenceFiles(exercise: Exercise): string[] {
  const appDir = join(REPO_ROOT, 'apps', exercise.app);
  return (exercise.finding.fix ?? [])
    .map((path) => join(appDir, path))
    .filter((path) => path.endsWith('.ts') && existsSync(path));
}

/** The learner's copy, or the kata itself before `start`. */
function yoursOf({ kata, copy }: KataFile): string {
  return existsSync(copy) ? copy : kata;
}

function printDiff(from: string, to: string): void {
  const diff = spawnSync(
    'git',
    [
      'diff',
      '--no-index',
      `--color=${process.stdout.isTTY ? 'always' : 'never'}`,
      '--',
      shown(from),
      shown(to),
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (diff.status !== 0 && diff.status !== 1) throw new Error(`git diff failed: ${diff.stderr}`);
  process.stdout.write(diff.stdout);
}

/**
 * The kata-shaped reference solutions: each kata file with the fix in it, same class names and constructors, so
 * the diff against the learner's copy is the fix alone, and copying it over the copy makes `check` pass.
 */
function showSolutions(exercise: Exercise, references: string[]): void {
  const started = exercise.files.some(({ copy }) => existsSync(copy));
  console.log(
    `The reference solution of ${exercise.id}, as a diff from ${started ? 'your copy' : 'the kata (not started yet)'} to it` +
      (references.length > 0
        ? ` (the service's own fix: ${references.map((path) => relative(REPO_ROOT, path)).join(', ')}).`
        : '.'),
  );
  for (const file of exercise.files) {
    const yours = yoursOf(file);
    if (readFileSync(yours, 'utf8') === readFileSync(file.solution, 'utf8')) {
      console.log(`\n${shown(yours)} is the reference solution.`);
      continue;
    }
    console.log('');
    printDiff(yours, file.solution);
  }
  const copies = exercise.files.filter(({ copy }) => existsSync(copy));
  if (copies.length > 0)
    console.log(
      `\nTo take it as yours: ${copies.map(({ copy, solution }) => `cp ${shown(solution)} ${shown(copy)}`).join(' && ')}`,
    );
}

/** Without a kata-shaped solution, the fix as the service ships it: other files, so the diff is a wide one. */
function showServiceFix(exercise: Exercise, references: string[]): void {
  const yours = yoursOf(exercise.files[0]!);
  console.log(
    `${exercise.id} has no kata-shaped solution yet: below, the service's own fix in src/, diffed against ` +
      `${shown(yours)} (other files: keep your class names and constructor, bring the technique across).\n`,
  );
  for (const reference of references) printDiff(yours, reference);
}

/**
 * `npm run kata -- solution <ID>`: the reference fix as a diff against the learner's copy (or the kata, before
 * `start`). Shows, never writes.
 */
export function solutionCommand(exercise: Exercise): number {
  if (exercise.kind !== 'kata')
    throw new KataUsageError(
      `${exercise.id} is a reading exercise: its fix is described in ${exercise.ledger}`,
    );
  const references = referenceFiles(exercise);
  if (exercise.files.every(({ solution }) => existsSync(solution))) showSolutions(exercise, references);
  else showServiceFix(exercise, references);
  // The finding lists its fix relative to the app; the learner types paths from the repository's root.
  const other = (exercise.finding.fix ?? [])
    .filter((path) => !path.endsWith('.ts'))
    .map((path) => relative(REPO_ROOT, join(REPO_ROOT, 'apps', exercise.app, path)));
  if (other.length > 0) console.log(`\nWhy it is built that way: ${other.join(', ')}`);
  return 0;
}
