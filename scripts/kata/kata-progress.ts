import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** The lock is held only for a read and a write; one older than this was left by a killed command. */
const STALE_LOCK_MS = 10_000;
const LOCK_RETRY_MS = 20;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function readProgress(): Progress {
  const file = progressFile();
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Progress;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): fix or delete it`);
  }
}

/**
 * Changes one exercise's record: `change` gets the record as it is now and returns the new one (undefined
 * removes it). A learner may run two kata commands at once (a check in one terminal, another kata's start in a
 * second), so the read and the write happen under a lock file and the write replaces the file by rename: a
 * read-modify-write around a proof run lost the other command's record, and a reader could see half a file.
 * An empty progress removes the file, so a finished session leaves nothing behind.
 */
export function updateProgress(
  id: string,
  change: (record: ExerciseProgress | undefined) => ExerciseProgress | undefined,
): void {
  const file = progressFile();
  withLock(`${file}.lock`, () => {
    const progress = readProgress();
    const record = change(progress[id]);
    if (record) progress[id] = record;
    else delete progress[id];
    if (Object.keys(progress).length === 0) {
      rmSync(file, { force: true });
      return;
    }
    const next = `${file}.${process.pid}.tmp`;
    writeFileSync(next, `${JSON.stringify(progress, null, 2)}\n`);
    renameSync(next, file);
  });
}

function withLock(lock: string, critical: () => void): void {
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAgeMs(lock) > STALE_LOCK_MS) rmSync(lock, { force: true });
      else Atomics.wait(sleeper, 0, 0, LOCK_RETRY_MS);
    }
  }
  try {
    critical();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // released between our attempt and the stat: the next attempt takes it
  }
}

export function statusOf(progress: ExerciseProgress | undefined): ExerciseStatus {
  if (!progress) return 'not started';
  return progress.last?.passed ? 'passing' : 'failing';
}
