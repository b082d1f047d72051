// `npm run kata` commands may run at once (a check in one terminal, another kata's start in a second; the loop
// test runs three katas side by side). Each command changes only its own exercise's record, and none may lose
// another's: the progress file is updated under a lock and replaced whole.
import { afterAll, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const repoRoot = join(import.meta.dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'remedy-progress-'));
const COMMANDS = 6;
const UPDATES_EACH = 25;

afterAll(() => rmSync(home, { recursive: true, force: true }));

/** One command process raising its own exercise's hint count UPDATES_EACH times. */
function command(id: string): Promise<unknown> {
  const script = `
    const { updateProgress } = await import('./scripts/kata/kata-progress.ts');
    for (let i = 0; i < ${UPDATES_EACH}; i += 1)
      updateProgress(${JSON.stringify(id)}, (record) => ({
        startedAt: record?.startedAt ?? new Date().toISOString(),
        hintsShown: (record?.hintsShown ?? 0) + 1,
      }));`;
  return promisify(execFile)(
    process.execPath,
    ['--import', './scripts/register.js', '--input-type=module', '--eval', script],
    { cwd: repoRoot, env: { ...process.env, REMEDY_KATA_HOME: home } },
  );
}

test('concurrent commands keep every exercise’s updates, and leave no lock or temporary file', async () => {
  const ids = Array.from({ length: COMMANDS }, (_, index) => `events:C-${index}`);
  await Promise.all(ids.map(command));

  const { readProgress } = await import('../../scripts/kata/kata-progress.js');
  process.env.REMEDY_KATA_HOME = home;
  try {
    const progress = readProgress();
    expect(Object.fromEntries(ids.map((id) => [id, progress[id]?.hintsShown]))).toEqual(
      Object.fromEntries(ids.map((id) => [id, UPDATES_EACH])),
    );
  } finally {
    delete process.env.REMEDY_KATA_HOME;
  }
  expect(readdirSync(home)).toEqual(['.kata-progress.json']);
}, 120_000);
