import type { Exercise } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { shown } from '../kata-home.js';
import { updateProgress } from '../kata-progress.js';
import { changedCopies, removeCopies } from '../learner-copies.js';

/**
 * `npm run kata -- reset <ID> [--force]`: removes the learner's copies and the exercise's progress, so the
 * service runs on its reference code again. Changed copies are the learner's work: only with --force.
 */
export function resetCommand(exercise: Exercise, force: boolean): number {
  if (exercise.kind !== 'kata')
    throw new KataUsageError(`${exercise.id} is a reading exercise: nothing to reset`);
  const changed = changedCopies(exercise);
  if (changed.length > 0 && !force)
    throw new KataUsageError(
      `reset would delete your changes in ${changed.map(({ copy }) => shown(copy)).join(', ')}: add --force to delete them`,
    );
  removeCopies(exercise);
  updateProgress(exercise.id, () => undefined);
  console.log(`${exercise.id} reset: your copy is gone and the service runs on its reference code.`);
  return 0;
}
