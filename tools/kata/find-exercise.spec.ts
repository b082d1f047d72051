// How `npm run kata` reads the ID a learner types: exact, the part after the colon, or a suggestion.
import { describe, expect, test } from '@jest/globals';
import type { Exercise } from '../../scripts/kata/exercise-catalog.js';
import { findExercise } from '../../scripts/kata/find-exercise.js';

const exercises = ['events:C-1', 'events:S-5', 'events:M-1', 'events:m-1', 'vitals:V-05'].map(
  (id) => ({ id }) as Exercise,
);

function suggestionFor(id: string): string {
  try {
    return `found ${findExercise(exercises, id).id}`;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('findExercise', () => {
  test('takes the full ID or the part after the colon, case-sensitively', () => {
    expect(findExercise(exercises, 'vitals:V-05').id).toBe('vitals:V-05');
    expect(findExercise(exercises, 'V-05').id).toBe('vitals:V-05');
    expect(findExercise(exercises, 'm-1').id).toBe('events:m-1');
  });

  test('suggests the ID a learner meant when they leave out the padding or the case', () => {
    expect(suggestionFor('v-5')).toContain('did you mean vitals:V-05?');
    expect(suggestionFor('V-5')).toContain('did you mean vitals:V-05?');
    expect(suggestionFor('events:C1')).toContain('did you mean events:C-1?');
  });
});
