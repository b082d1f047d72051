import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from './exercise-catalog.js';
import { REPO_ROOT } from './kata-home.js';

export interface LedgerNumbers {
  flawed?: number;
  remediated?: number;
}

function leadingNumber(cell: string | undefined): number | undefined {
  const match = /^-?[\d,]+(\.\d+)?/.exec(cell?.trim() ?? '');
  return match ? Number(match[0].replace(/,/g, '')) : undefined;
}

/**
 * The finding's numbers as the repository publishes them: its row in docs/findings/<app>.md, written by
 * `npm run ledger` from the last demo run. `check` shows the remediated one as the reference, so a check
 * measures only the learner's code.
 */
export function ledgerNumbers(exercise: Exercise): LedgerNumbers {
  const file = join(REPO_ROOT, exercise.ledger);
  if (!existsSync(file)) return {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    // Cells: '', ID, flaw, metric, flawed, remediated, …; a `\|` inside a cell is not a separator.
    const cells = line.split(/(?<!\\)\|/);
    if (cells[1]?.trim().split(', ').includes(exercise.id))
      return { flawed: leadingNumber(cells[4]), remediated: leadingNumber(cells[5]) };
  }
  return {};
}
