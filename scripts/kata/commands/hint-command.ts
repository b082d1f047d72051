import type { Exercise } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { readProgress, updateProgress } from '../kata-progress.js';

/** `npm run kata -- hint <ID>`: the next hint, from a nudge to the technique's name; all shown so far stay listed. */
export function hintCommand(exercise: Exercise): number {
  const hints = exercise.finding.hints;
  if (exercise.kind !== 'kata' || !hints)
    throw new KataUsageError(
      `${exercise.id} is a reading exercise: it has no hints (read ${exercise.systemDoc})`,
    );
  const record = readProgress()[exercise.id];
  const shownBefore = record?.hintsShown ?? 0;
  const shownNow = Math.min(shownBefore + 1, hints.length);
  hints
    .slice(0, shownNow)
    .forEach((hint, index) => console.log(`hint ${index + 1}/${hints.length}: ${hint}`));
  if (shownBefore >= hints.length)
    console.log(`\nThat was the last hint. The reference fix: npm run kata -- solution ${exercise.id}`);
  if (record) updateProgress(exercise.id, (current) => current && { ...current, hintsShown: shownNow });
  return 0;
}
