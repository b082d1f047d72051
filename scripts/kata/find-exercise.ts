import type { Exercise } from './exercise-catalog.js';

export class KataUsageError extends Error {}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * An ID as a suggestion compares it: any case, numbers without their padding, so `v-5` is closest to V-05
 * (not to S-5, one letter away from it).
 */
function comparable(id: string): string {
  return id.toLowerCase().replace(/\b0+(\d)/g, '$1');
}

/**
 * The exercise an ID names: the full ID (`events:C-1`), or the part after the colon when only one app has it
 * (`V-05`). IDs are case-sensitive: events:M-1 and events:m-1 are different findings.
 */
export function findExercise(exercises: Exercise[], id: string | undefined): Exercise {
  if (!id)
    throw new KataUsageError(
      'name an exercise, e.g. `npm run kata -- start events:C-1` (`npm run kata` lists them)',
    );
  const exact = exercises.find((exercise) => exercise.id === id);
  if (exact) return exact;
  const bySuffix = exercises.filter((exercise) => exercise.id.split(':')[1] === id);
  if (bySuffix.length === 1) return bySuffix[0]!;
  if (bySuffix.length > 1)
    throw new KataUsageError(`"${id}" is ambiguous: ${bySuffix.map((exercise) => exercise.id).join(', ')}`);
  const typed = comparable(id);
  const closest = [...exercises]
    .map((exercise) => ({
      id: exercise.id,
      distance: Math.min(
        editDistance(typed, comparable(exercise.id)),
        editDistance(typed, comparable(exercise.id.split(':')[1]!)),
      ),
    }))
    .sort((a, b) => a.distance - b.distance)[0];
  throw new KataUsageError(
    `no exercise "${id}"${closest ? `: did you mean ${closest.id}?` : ''} (\`npm run kata\` lists them)`,
  );
}
