import { createInterface } from 'node:readline';
import { SEARCH_WORKER_PLUGS, type SearchWorkerJob } from './search-worker-plugs.js';
import { startTestWorker } from './start-test-worker.js';

/**
 * One documents worker in its own Node process, so a proof can kill it with SIGKILL. Loading the code is the
 * slow part, so the process prints `{"loaded":true}` and boots the worker only when a `start` line arrives
 * (a standby can load while another worker runs); it prints `{"ready":true}` once its relay and indexer run,
 * then runs until its stdin closes and shuts down gracefully.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as SearchWorkerJob;
  const stdin = createInterface({ input: process.stdin });
  const closed = new Promise<void>((resolve) => stdin.once('close', resolve));
  const started = new Promise<void>((resolve) =>
    stdin.on('line', (line) => line.trim() === 'start' && resolve()),
  );
  process.stdout.write('{"loaded":true}\n');
  if ((await Promise.race([started.then(() => 'start'), closed.then(() => 'close')])) === 'close')
    process.exit(0);
  const worker = await startTestWorker(job, job.overrides, SEARCH_WORKER_PLUGS[job.indexer]);
  process.stdout.write('{"ready":true}\n');
  await closed;
  await worker.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
