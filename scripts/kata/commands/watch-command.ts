import { watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Exercise } from '../exercise-catalog.js';
import { REPO_ROOT } from '../kata-home.js';
import { assertStarted, checkExercise } from './check-command.js';

const DEBOUNCE_MS = 300;

/**
 * `npm run kata -- watch <ID>`: checks once, then again whenever a file of the app or the learner's copy is
 * saved (debounced; a save during a check queues one more). Runs until Ctrl-C.
 */
export async function watchCommand(exercise: Exercise): Promise<number> {
  assertStarted(exercise);
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await checkExercise(exercise);
    } catch (error) {
      console.log(`\n  ✗ the proof could not run: ${(error as Error).message}`);
    } finally {
      running = false;
    }
    console.log(
      `\nWatching apps/${exercise.app} and your copy; save a file to check again (Ctrl-C to stop).`,
    );
    if (again) {
      again = false;
      void check();
    }
  };
  const onChange = (_event: string, file: string | Buffer | null): void => {
    if (file && String(file).includes('node_modules')) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), DEBOUNCE_MS);
  };
  const folders = new Set([
    join(REPO_ROOT, 'apps', exercise.app),
    ...exercise.files.map(({ copy }) => dirname(copy)),
  ]);
  const watchers: FSWatcher[] = [...folders].map((folder) => watch(folder, { recursive: true }, onChange));
  await check();
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  for (const watcher of watchers) watcher.close();
  clearTimeout(timer);
  return 0;
}
