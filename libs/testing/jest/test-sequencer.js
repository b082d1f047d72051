// Longest test file first, so a run does not end on one worker finishing a long file while the other idles.
// jest orders by the durations in its own cache, and without one (a fresh clone, CI) by file size: the
// findings files, a few lines each that run minutes of proofs, then started last and every app's run ended on
// a tail of them. The durations recorded in test-durations.json (see durations-reporter.js) come first; jest's
// cache only for files not recorded yet (it also keeps the short times of runs filtered with -t).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import DefaultSequencer from '@jest/test-sequencer';

const Sequencer = DefaultSequencer.default ?? DefaultSequencer;
export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const durationsFile = new URL('test-durations.json', `file://${repoRoot}`).pathname;

export function readRecordedDurations() {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8')).seconds ?? {};
  } catch {
    return {};
  }
}

export default class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const recorded = readRecordedDurations();
    const expected = (test) => {
      const cached = this.time(test);
      return recorded[relative(repoRoot, test.path)] ?? (cached == null ? undefined : cached / 1000);
    };
    // jest's order (failed first, then its cache, then size) breaks the ties among files with no duration.
    const ranked = super.sort(tests).map((test, rank) => ({ test, rank, seconds: expected(test) }));
    return ranked
      .sort((a, b) => {
        if (this.hasFailed(a.test) !== this.hasFailed(b.test)) return this.hasFailed(a.test) ? -1 : 1;
        if ((a.seconds == null) !== (b.seconds == null)) return a.seconds == null ? 1 : -1;
        if (a.seconds != null && b.seconds != null && a.seconds !== b.seconds) return b.seconds - a.seconds;
        return a.rank - b.rank;
      })
      .map(({ test }) => test);
  }
}
