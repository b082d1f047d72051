import { childJob, roundsAtParentCommand, tellParent } from '../../src/bench/bench-child.js';

// A bench child that does its share in rounds at its parent's command: each answer carries the rounds seen so far,
// and 'done' follows the last.
await childJob<Record<string, never>>();
const seen: number[] = [];
await roundsAtParentCommand('join', 'joined', (round) => {
  seen.push(round);
  return Promise.resolve({ seen: [...seen] });
});
await tellParent({ type: 'done', seen });
