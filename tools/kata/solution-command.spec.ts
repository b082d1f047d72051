// `npm run kata -- solution <ID>` on events:C-1's real kata and solution files, before `start` (no copy yet):
// a diff from the kata to its kata-shaped solution, never one against src/; the fallback when a kata has none.
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { join } from 'node:path';
import type { Exercise } from '../../scripts/kata/exercise-catalog.js';
import { solutionCommand } from '../../scripts/kata/commands/solution-command.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const katas = join(repoRoot, 'apps', 'event-registration', 'katas');

function c1(solution: string): Exercise {
  return {
    id: 'events:C-1',
    app: 'event-registration',
    kind: 'kata',
    finding: {
      fix: ['src/registrations/register.service.ts', '../../docs/adr/0010-capacity-by-conditional-update.md'],
    },
    files: [
      {
        kata: join(katas, 'c-1-capacity-check.flawed.ts'),
        copy: join(repoRoot, 'apps', 'event-registration', 'exercises', 'not-started.ts'),
        solution,
      },
    ],
    systemDoc: 'docs/systems/event-registration.md',
    ledger: 'docs/findings/event-registration.md',
  } as Exercise;
}

let output: string;

beforeEach(() => {
  output = '';
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    output += `${args.join(' ')}\n`;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('kata solution', () => {
  test('diffs the kata against its reference solution and names the documents from the repository root', () => {
    expect(solutionCommand(c1(join(katas, 'c-1-capacity-check.solution.ts')))).toBe(0);
    expect(output).toContain('as a diff from the kata (not started yet) to it');
    expect(output).toContain('+++ b/apps/event-registration/katas/c-1-capacity-check.solution.ts');
    expect(output).not.toContain('+++ b/apps/event-registration/src/');
    expect(output).toContain('Why it is built that way: docs/adr/0010-capacity-by-conditional-update.md');
  });

  test('falls back to the fix in src/ with a one-line explanation when the kata has no solution', () => {
    expect(solutionCommand(c1(join(katas, 'no-such-kata.solution.ts')))).toBe(0);
    expect(output.split('\n')[0]).toContain('events:C-1 has no kata-shaped solution yet');
    expect(output).toContain('+++ b/apps/event-registration/src/registrations/register.service.ts');
  });
});
