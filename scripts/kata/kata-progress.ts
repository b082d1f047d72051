import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { progressFile } from './kata-home.js';

export interface CheckRecord {
  value: number;
  passed: boolean;
  at: string;
  seconds: number;
}

export interface ExerciseProgress {
  startedAt: string;
  hintsShown: number;
  /** The proof on the flaw as `start` wrote it. */
  flawed?: number;
  /** The proof on the service as shipped (measured once, on the first check). */
  reference?: number;
  last?: CheckRecord;
}

export type Progress = Record<string, ExerciseProgress>;

export type ExerciseStatus = 'not started' | 'failing' | 'passing';

export function readProgress(): Progress {
  const file = progressFile();
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Progress;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): fix or delete it`);
  }
}

/** Writes the progress; an empty one removes the file, so a finished session leaves nothing behind. */
export function writeProgress(progress: Progress): void {
  const file = progressFile();
  if (Object.keys(progress).length === 0) rmSync(file, { force: true });
  else writeFileSync(file, `${JSON.stringify(progress, null, 2)}\n`);
}

export function statusOf(progress: ExerciseProgress | undefined): ExerciseStatus {
  if (!progress) return 'not started';
  return progress.last?.passed ? 'passing' : 'failing';
}
