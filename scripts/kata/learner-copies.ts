import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Exercise, KataFile } from './exercise-catalog.js';

/** The learner's copies that differ from the kata they were made from: their work. */
export function changedCopies(exercise: Exercise): KataFile[] {
  return exercise.files.filter(
    ({ kata, copy }) => existsSync(copy) && readFileSync(copy, 'utf8') !== readFileSync(kata, 'utf8'),
  );
}

export function missingCopies(exercise: Exercise): KataFile[] {
  return exercise.files.filter(({ copy }) => !existsSync(copy));
}

/** Puts the review's flaw back: each kata file, as the flawed run plugs it in, becomes the learner's copy. */
export function writeCopies(exercise: Exercise): void {
  for (const { kata, copy } of exercise.files) {
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, readFileSync(kata, 'utf8'));
  }
}

export function removeCopies(exercise: Exercise): void {
  for (const { copy } of exercise.files) rmSync(copy, { force: true });
  // The exercises folder goes with its last copy, so a reset leaves the app as it was checked out.
  const folder = exercise.files[0] && dirname(exercise.files[0].copy);
  if (folder && existsSync(folder) && readdirSync(folder).length === 0) rmdirSync(folder);
}
