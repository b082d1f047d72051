// Drives `npm run kata` through a learner's whole loop on three katas of different kinds — a race (events:C-1),
// a query count (vitals:V-05), a schema/index one (events:S-2): start → check fails with the flawed number →
// `solution` shows the diff to the kata's reference solution, which is copied over the learner's copy → check
// passes → reset. Each command is the real CLI in its own process, so the module hook that serves the learner's
// copy is live there and never in this jest process. The learner's copies and progress go to a temporary
// REMEDY_KATA_HOME, so running the repo's tests never touches a learner's work in apps/*/exercises/; the repo's
// own files must come out as they went in.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');
const LOOP_TIMEOUT_MS = 15 * 60_000;

interface Run {
  code: number;
  output: string;
  seconds: number;
}

let home: string;
let statusBefore: string;
const timings: string[] = [];

/** What git sees where the runner could write into the repository: the learner's layout, ignored files included. */
function gitStatus(): string {
  return execFileSync(
    'git',
    [
      'status',
      '--porcelain',
      '--ignored',
      '--',
      'apps/*/exercises',
      'apps/*/katas',
      'apps/*/src',
      '.kata-progress.json',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
}

function kata(...args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', './scripts/register.js', 'scripts/kata.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, REMEDY_KATA_HOME: home }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const seconds = (performance.now() - started) / 1000;
        timings.push(`kata ${args.join(' ')}: ${seconds.toFixed(1)} s`);
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`, seconds });
      },
    );
  });
}

/** The number on a line of check's table (`yours`, `flawed`, `reference`). */
function reported(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+(-?[\\d,.]+)`, 'm').exec(output);
  if (!match) throw new Error(`no "${label}" number in:\n${output}`);
  return Number(match[1]!.replace(/,/g, ''));
}

interface KataCase {
  id: string;
  /** The learner's copy, relative to the kata home; its reference solution is the kata's `.solution.ts`. */
  copy: string;
  solution: string;
  /**
   * Whether `start` runs the proof. One case shows that run; the others skip it (--no-run), since their check
   * runs the same measurement on the same code a moment later — each run costs the suite seconds.
   */
  startRuns: boolean;
}

const CASES: KataCase[] = [
  {
    id: 'events:C-1',
    startRuns: false,
    copy: 'apps/event-registration/exercises/c-1-capacity-check.ts',
    solution: 'apps/event-registration/katas/c-1-capacity-check.solution.ts',
  },
  {
    id: 'vitals:V-05',
    startRuns: true,
    copy: 'apps/medical-vitals/exercises/v-05-active-patients-n-plus-one.ts',
    solution: 'apps/medical-vitals/katas/v-05-active-patients-n-plus-one.solution.ts',
  },
  {
    id: 'events:S-2',
    startRuns: false,
    copy: 'apps/event-registration/exercises/s-2-schema-without-indexes.ts',
    solution: 'apps/event-registration/katas/s-2-schema-without-indexes.solution.ts',
  },
];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'remedy-kata-'));
  statusBefore = gitStatus();
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  console.log(`kata loop timings:\n  ${timings.join('\n  ')}`);
});

describe('npm run kata', () => {
  test('keeps the learner copies and progress out of git', () => {
    const ignored = execFileSync(
      'git',
      ['check-ignore', 'apps/event-registration/exercises/c-1-capacity-check.ts', '.kata-progress.json'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(ignored.trim().split('\n')).toHaveLength(2);
  });

  test.concurrent.each(CASES)(
    '$id: start fails with the flawed number, the reference solution passes, reset restores',
    async ({ id, copy, solution, startRuns }) => {
      const copyPath = join(home, copy);

      const start = await kata('start', id, ...(startRuns ? [] : ['--no-run']));
      expect(start.code).toBe(0);
      expect(start.output).toContain(`Target: `);
      expect(existsSync(copyPath)).toBe(true);
      if (startRuns) expect(start.output).toContain('✗ FAIL');

      const again = await kata('start', id);
      expect(again.code).toBe(2);
      expect(again.output).toContain('already started');

      const failing = await kata('check', id);
      expect(failing.code).toBe(1);
      expect(failing.output).toContain('✗ FAIL');
      expect(reported(failing.output, 'yours')).not.toBe(reported(failing.output, 'reference'));
      // The flawed number is start's own measurement, or the ledger's when start did not run the proof.
      if (startRuns) expect(reported(failing.output, 'flawed')).toBe(reported(start.output, 'yours'));
      else expect(reported(failing.output, 'flawed')).toBeGreaterThan(0);

      // `solution` shows the reference as a diff from the learner's copy to the kata-shaped solution, nothing
      // of src/; the learner applies it the way the command says.
      const shownSolution = await kata('solution', id);
      expect(shownSolution.code).toBe(0);
      expect(shownSolution.output).toContain(`b/${solution}`);
      expect(shownSolution.output).not.toMatch(/^\+\+\+ b\/apps\/[^/]+\/src\//m);
      expect(shownSolution.output).toContain(`cp ${solution} `);
      copyFileSync(join(repoRoot, solution), copyPath);
      const passing = await kata('check', id);
      expect(passing.code).toBe(0);
      expect(passing.output).toContain('✓ PASS');
      expect(reported(passing.output, 'yours')).toBe(reported(passing.output, 'reference'));

      const refused = await kata('reset', id);
      expect(refused.code).toBe(2);
      expect(refused.output).toContain('--force');
      expect(existsSync(copyPath)).toBe(true);

      const reset = await kata('reset', id, '--force');
      expect(reset.code).toBe(0);
      expect(existsSync(copyPath)).toBe(false);
    },
    LOOP_TIMEOUT_MS,
  );

  test('suggests the closest ID for an unknown one', async () => {
    const unknown = await kata('check', 'events:C1');
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('did you mean events:C-1?');
  }, 60_000);

  test('leaves no copy, no progress and no change in the working tree', () => {
    expect(readdirSync(home).filter((name) => name !== 'apps')).toEqual([]);
    const copiesLeft = existsSync(join(home, 'apps'))
      ? execFileSync('find', [join(home, 'apps'), '-type', 'f'], { encoding: 'utf8' })
      : '';
    expect(copiesLeft).toBe('');
    expect(gitStatus()).toBe(statusBefore);
  });
});
