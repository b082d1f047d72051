import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository the exercises come from. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where the learner's copies and progress live: the repository itself (git-ignored `apps/<app>/exercises/` and
 * `.kata-progress.json`), or another folder with the same layout when REMEDY_KATA_HOME names one (the loop
 * test uses a temporary one, so `npm test` never touches a learner's work).
 */
export function kataHome(): string {
  return process.env.REMEDY_KATA_HOME ?? REPO_ROOT;
}

export function progressFile(): string {
  return join(kataHome(), '.kata-progress.json');
}

export function exercisesDir(app: string): string {
  return join(kataHome(), 'apps', app, 'exercises');
}

/** A path as the learner types it: relative to the repository when inside it. */
export function shown(path: string): string {
  const inRepo = relative(REPO_ROOT, path);
  return inRepo.startsWith('..') ? path : inRepo;
}
