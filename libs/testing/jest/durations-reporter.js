// Records each test file's duration in test-durations.json, which the longest-first sequencer reads, when
// REMEDY_RECORD_TEST_DURATIONS=1 (a maintainer's whole `npm test` on the reference machine; see docs/testing.md).
// Files that failed or ran only some of their tests (-t) are not recorded: their times say nothing of a full run.
import { renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { durationsFile, readRecordedDurations, repoRoot } from './test-sequencer.js';

export default class DurationsReporter {
  onRunComplete(_contexts, results) {
    if (process.env.REMEDY_RECORD_TEST_DURATIONS !== '1') return;
    const measured = {};
    for (const file of results.testResults) {
      if (file.testExecError || file.numFailingTests > 0 || file.numPendingTests > 0) continue;
      measured[relative(repoRoot, file.testFilePath)] =
        Math.round((file.perfStats.end - file.perfStats.start) / 100) / 10;
    }
    // nx runs several packages' jest at once: read, merge and replace in one step, never a half-written file.
    const seconds = { ...readRecordedDurations(), ...measured };
    const sorted = Object.fromEntries(
      Object.keys(seconds)
        .sort()
        .map((path) => [path, seconds[path]]),
    );
    const temporary = `${durationsFile}.${process.pid}`;
    writeFileSync(temporary, `${JSON.stringify({ seconds: sorted }, null, 2)}\n`);
    renameSync(temporary, durationsFile);
  }
}
