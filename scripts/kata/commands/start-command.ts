import { taskOf } from '../describe-exercise.js';
import type { Exercise } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { shown } from '../kata-home.js';
import { readProgress, updateProgress } from '../kata-progress.js';
import { changedCopies, missingCopies, writeCopies } from '../learner-copies.js';
import { checkExercise } from './check-command.js';

/**
 * `npm run kata -- start <ID> [--force] [--no-run]`: writes the flawed code into the learner's copies, shows the
 * task and runs the proof once, so the learner sees it fail with the flawed number (--no-run skips that run; the
 * ledger's flawed number stands in). Never overwrites a learner's changes without --force.
 */
export async function startCommand(
  exercise: Exercise,
  { force, run }: { force: boolean; run: boolean },
): Promise<number> {
  if (exercise.kind !== 'kata') {
    console.log(
      `${exercise.id} is a reading exercise: ${exercise.finding.why ?? 'its flaw is not one a kata file puts back (see its seam)'}.\n` +
        `Read the original design in ${exercise.systemDoc}, then the finding, its fix and its numbers in ${exercise.ledger}.`,
    );
    return 0;
  }
  const progress = readProgress();
  if (!force) {
    const changed = changedCopies(exercise);
    if (changed.length > 0)
      throw new KataUsageError(
        `your copy has changes that start would overwrite: ${changed.map(({ copy }) => shown(copy)).join(', ')}\n` +
          `  keep working (npm run kata -- check ${exercise.id}), or start again from the flawed code with --force`,
      );
    if (progress[exercise.id] && missingCopies(exercise).length === 0)
      throw new KataUsageError(
        `${exercise.id} is already started: npm run kata -- check ${exercise.id} (or --force to start again)`,
      );
  }
  writeCopies(exercise);
  updateProgress(exercise.id, (record) => ({
    startedAt: new Date().toISOString(),
    hintsShown: record?.hintsShown ?? 0,
  }));
  console.log(taskOf(exercise).join('\n'));
  if (run) await checkExercise(exercise, { asStart: true });
  console.log(
    `\nNow make the proof pass: edit your copy, then npm run kata -- check ${exercise.id}` +
      ` (or watch ${exercise.id} to re-run it on every save).`,
  );
  return 0;
}
