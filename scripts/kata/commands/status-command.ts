import { measured } from '../describe-exercise.js';
import type { Exercise } from '../exercise-catalog.js';
import { readProgress, statusOf } from '../kata-progress.js';

/** `npm run kata -- status`: progress over all katas, and where each started one stands. */
export function statusCommand(exercises: Exercise[]): number {
  const progress = readProgress();
  const katas = exercises.filter((exercise) => exercise.kind === 'kata');
  const count = (status: string): number =>
    katas.filter((exercise) => statusOf(progress[exercise.id]) === status).length;
  console.log(
    `${katas.length} katas: ${count('passing')} passing, ${count('failing')} failing, ${count('not started')} not started`,
  );
  for (const exercise of katas) {
    const record = progress[exercise.id];
    if (!record) continue;
    const hints = exercise.finding.hints?.length ?? 0;
    const last = record.last
      ? `${record.last.passed ? 'passing' : 'failing'} at ${measured(exercise, record.last.value)} (flawed ${measured(exercise, record.flawed)}, reference ${measured(exercise, record.reference)}), checked ${record.last.at}`
      : 'not checked yet';
    console.log(`  ${exercise.id.padEnd(16)} ${last}; hints ${record.hintsShown}/${hints}`);
  }
  return 0;
}
