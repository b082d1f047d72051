import type { Exercise } from '../exercise-catalog.js';
import { difficultyOf } from '../describe-exercise.js';
import { readProgress, statusOf } from '../kata-progress.js';

/** `npm run kata`: every exercise, grouped by app, with the learner's status. */
export function listCommand(exercises: Exercise[]): number {
  const progress = readProgress();
  for (const app of [...new Set(exercises.map((exercise) => exercise.app))]) {
    const ofApp = exercises.filter((exercise) => exercise.app === app);
    const rows = ofApp.map((exercise) => [
      exercise.id,
      exercise.finding.title,
      exercise.kind === 'kata' ? difficultyOf(exercise) : 'read',
      exercise.finding.metric.name,
      exercise.kind === 'kata' ? statusOf(progress[exercise.id]) : `read ${exercise.systemDoc}`,
    ]);
    const header = ['ID', 'title', 'level', 'metric', 'status'];
    const widths = header.map((title, column) =>
      Math.min(
        column === 1 || column === 3 ? 48 : 40,
        Math.max(title.length, ...rows.map((row) => row[column]!.length)),
      ),
    );
    const cell = (text: string, column: number): string => {
      const width = widths[column]!;
      return (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);
    };
    console.log(`\napps/${app}`);
    console.log(`  ${header.map(cell).join('  ').trimEnd()}`);
    for (const row of rows) console.log(`  ${row.map(cell).join('  ').trimEnd()}`);
  }
  const katas = exercises.filter((exercise) => exercise.kind === 'kata');
  const passing = katas.filter((exercise) => statusOf(progress[exercise.id]) === 'passing').length;
  console.log(
    `\n${katas.length} katas (${passing} passing), ${exercises.length - katas.length} reading exercises.` +
      ' Start one: npm run kata -- start <ID>   (docs/katas.md)',
  );
  return 0;
}
