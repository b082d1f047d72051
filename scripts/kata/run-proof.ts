import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Exercise } from './exercise-catalog.js';
import { REPO_ROOT } from './kata-home.js';
import type { ProofMessage, ProofResult, ProofRun } from './proof-messages.js';

const MEASURE_ENTRY = join(REPO_ROOT, 'scripts', 'kata', 'measure-exercise.ts');
const SWC_REGISTER = pathToFileURL(join(REPO_ROOT, 'scripts', 'register.js')).href;
const KATA_SOURCE_HOOKS = pathToFileURL(
  join(REPO_ROOT, 'scripts', 'kata', 'register-kata-source-hooks.js'),
).href;
const STARTUP_ALLOWANCE_MS = 60_000;

/** kata file URL → the learner's copy, for the copies that exist. */
function copiesOf(exercise: Exercise): Record<string, string> {
  return Object.fromEntries(
    exercise.files
      .filter(({ copy }) => existsSync(copy))
      .map(({ kata, copy }) => [pathToFileURL(kata).href, copy]),
  );
}

/**
 * Runs the exercise's proof in a child process with the learner's copies in place of the kata files. The
 * hooks are registered through NODE_OPTIONS, ahead of swc's, so they also reach the Node processes a proof
 * starts itself (a second API instance, a report child) — and only under `npm run kata`.
 */
export function runProof(
  exercise: Exercise,
  runs: ProofRun[],
  onLog: (line: string) => void,
): Promise<ProofResult[]> {
  const nodeOptions = [process.env.NODE_OPTIONS, `--import ${KATA_SOURCE_HOOKS}`].filter(Boolean).join(' ');
  const child = fork(MEASURE_ENTRY, [JSON.stringify({ app: exercise.app, id: exercise.id, runs })], {
    cwd: REPO_ROOT,
    execArgv: ['--import', SWC_REGISTER],
    env: {
      ...process.env,
      NODE_OPTIONS: nodeOptions,
      REMEDY_KATA_COPIES: JSON.stringify(copiesOf(exercise)),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The service's own logs are kept for a crash report, not shown: the measurement's lines say what it saw.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const results: ProofResult[] = [];
  let failure: string | undefined;
  child.on('message', (message: ProofMessage) => {
    if (message.type === 'log') onLog(message.line);
    else if (message.type === 'result') results.push(message.result);
    else failure = message.message;
  });
  const timeoutMs = runs.length * exercise.finding.timeoutMs + STARTUP_ALLOWANCE_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      failure = `the proof did not finish within ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!failure && results.length === runs.length) return resolve(results);
      const reason =
        failure ?? `the measuring process exited (${signal ?? `code ${code}`})\n${output.trim()}`;
      reject(new Error(reason));
    });
  });
}
