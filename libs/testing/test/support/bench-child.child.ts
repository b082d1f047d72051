import { childJob, nextParentMessage, tellParent } from '../../src/bench/bench-child.js';

// A bench child that reports before its parent asks: two progress reports, then 'early'; it answers the parent's
// 'ask' (sent on the second progress report) after those, and exits with 2 when the answer is negative.
const asked = nextParentMessage('ask');
const job = await childJob<{ answer: number }>();
await tellParent({ type: 'progress', opened: 1 });
await tellParent({ type: 'progress', opened: 2 });
await tellParent({ type: 'early' });
await asked;
await tellParent({ type: 'answer', answer: job.answer });
if (job.answer < 0) {
  process.stderr.write('a negative answer: giving up\n');
  process.exit(2);
}
