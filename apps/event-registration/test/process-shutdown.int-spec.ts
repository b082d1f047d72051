import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PARTITION_MAINTENANCE_QUEUE } from '@remedy/partitioning';
import { freePort, useTestContext, waitUntil } from '@remedy/testing';
import { Queue } from 'bullmq';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { SesEmulator } from '../findings/support/ses-emulator.js';
import { testEnvironment } from '../findings/support/test-config.js';

const ctx = useTestContext(eventRegistrationHarness);
const appDirectory = fileURLToPath(new URL('..', import.meta.url));
let ses: SesEmulator;

beforeAll(async () => {
  ses = await SesEmulator.start();
});

afterAll(async () => {
  await ses.stop();
});

/** `npm run <script>` as an operator runs it, in this test's database and Redis prefix. */
function runScript(script: 'serve' | 'worker', port: number) {
  const child = spawn('npm', ['run', script], {
    cwd: appDirectory,
    env: {
      ...process.env,
      ...testEnvironment(ctx, { PORT: String(port), DB_POOL_MAX: '4', SES_ENDPOINT: ses.endpoint }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the app's node process can be told apart from npm and its shell.
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, stderr: () => stderr };
}

async function apiAnswers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/docs-json`)).ok;
  } catch {
    return false;
  }
}

async function workerConsumesQueues(): Promise<boolean> {
  const queue = new Queue(PARTITION_MAINTENANCE_QUEUE, {
    connection: { url: ctx.redisUrl },
    prefix: ctx.prefix,
  });
  try {
    return (await queue.getWorkersCount()) > 0;
  } finally {
    await queue.close();
  }
}

describe('stopping npm run serve / worker', () => {
  it.each([
    ['serve', 'SIGINT'],
    ['serve', 'SIGTERM'],
    ['worker', 'SIGINT'],
    ['worker', 'SIGTERM'],
  ] as const)(
    'npm run %s stopped with %s exits 0 without an npm error',
    async (script, signal) => {
      const port = await freePort();
      const run = runScript(script, port);
      await waitUntil(
        `npm run ${script} to be up`,
        () => (script === 'serve' ? apiAnswers(port) : workerConsumesQueues()),
        60_000,
      );
      // The signal goes to the app itself (as `kill <pid>` or a supervisor sends it): npm reports how its
      // child ended, so an app killed *by* the signal reads as a failed lifecycle script.
      const appPid = Number(
        execFileSync('pgrep', ['-g', String(run.child.pid), '-x', 'node'])
          .toString()
          .trim(),
      );
      process.kill(appPid, signal);
      const [code, killedBy] = await run.exited;
      expect({ code, killedBy, stderr: run.stderr() }).toEqual({ code: 0, killedBy: null, stderr: '' });
    },
    90_000,
  );
});
