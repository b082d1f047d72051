import { details, measured, targetOf } from '../describe-exercise.js';
import type { Exercise } from '../exercise-catalog.js';
import { KataUsageError } from '../find-exercise.js';
import { type ExerciseProgress, readProgress, updateProgress } from '../kata-progress.js';
import { missingCopies } from '../learner-copies.js';
import type { ProofResult, ProofRun } from '../proof-messages.js';
import { runProof } from '../run-proof.js';
import { ledgerNumbers } from '../ledger-numbers.js';

export function assertStarted(exercise: Exercise): void {
  if (exercise.kind !== 'kata')
    throw new KataUsageError(
      `${exercise.id} is a reading exercise: read ${exercise.systemDoc} and ${exercise.ledger}`,
    );
  const progress = readProgress()[exercise.id];
  if (!progress || missingCopies(exercise).length > 0)
    throw new KataUsageError(`${exercise.id} is not started: npm run kata -- start ${exercise.id}`);
}

/**
 * Runs the proof on the learner's copies (and, the first time, on the service as shipped) and prints the
 * learner's number beside the flawed and the reference ones. Returns whether the learner's code passes.
 */
export async function checkExercise(exercise: Exercise, { asStart = false } = {}): Promise<boolean> {
  const before = readProgress()[exercise.id]!;
  const ledger = ledgerNumbers(exercise);
  // The reference is measured only when the ledger has no number for it (a finding added since the last demo).
  const runs: ProofRun[] =
    ledger.remediated === undefined && before.reference === undefined
      ? ['learner', 'reference']
      : ['learner'];
  console.log(
    `\nRunning the proof of ${exercise.id} on your code${runs.length > 1 ? ' and on the reference' : ''} …`,
  );
  const started = performance.now();
  const results = await runProof(exercise, runs, (line) => console.log(`  · ${line}`));
  const seconds = (performance.now() - started) / 1000;
  const learner = results.find((result) => result.run === 'learner')!;
  const reference = results.find((result) => result.run === 'reference');

  let record: ExerciseProgress = before;
  updateProgress(exercise.id, (current) => {
    record = current ?? before;
    if (asStart) record.flawed = learner.value;
    record.reference = reference?.value ?? record.reference ?? ledger.remediated;
    record.flawed ??= ledger.flawed;
    record.last = { value: learner.value, passed: learner.passed, at: new Date().toISOString(), seconds };
    return record;
  });

  report(exercise, learner, record.flawed, record.reference, seconds);
  return learner.passed;
}

function report(
  exercise: Exercise,
  learner: ProofResult,
  flawed: number | undefined,
  reference: number | undefined,
  seconds: number,
): void {
  const { metric } = exercise.finding;
  console.log(`\n  ${metric.name} (${metric.better} is better)`);
  console.log(`    yours       ${measured(exercise, learner.value)}`);
  console.log(`    flawed      ${measured(exercise, flawed)}   the review's design`);
  console.log(`    reference   ${measured(exercise, reference)}   the service as shipped`);
  console.log(`    target      ${targetOf(exercise)}`);
  if (learner.passed) {
    console.log(`\n  ✓ PASS — the proof accepts your code (${seconds.toFixed(1)} s).`);
    return;
  }
  console.log(`\n  ✗ FAIL — the flaw still shows (${seconds.toFixed(1)} s). What the measurement saw:`);
  for (const line of details(learner.details)) console.log(line);
  console.log(`  Stuck? npm run kata -- hint ${exercise.id}`);
}

/** `npm run kata -- check <ID>`: exit 0 when the proof passes on the learner's code, 1 when it fails. */
export async function checkCommand(exercise: Exercise): Promise<number> {
  assertStarted(exercise);
  return (await checkExercise(exercise)) ? 0 : 1;
}
