import { spawnAppProcess } from '@remedy/testing';
import type { SearchWorkerJob } from './search-worker-plugs.js';

const ENTRY = new URL('./search-worker-child.ts', import.meta.url);

export interface SearchWorkerProcess {
  pid: number;
  /** Boots the worker (relay and indexer) in the loaded process; resolves once both run. */
  start(): Promise<void>;
  /** SIGKILL, as an OOM kill or a lost machine would: no shutdown hook runs. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Closes the worker's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts a Node process for one documents worker and resolves once its code is loaded (not yet running). */
export async function spawnSearchWorker(job: SearchWorkerJob): Promise<SearchWorkerProcess> {
  const { app } = await spawnAppProcess(ENTRY, {
    name: 'search worker',
    args: [JSON.stringify(job)],
    stdin: 'pipe',
    ready: (starting) => starting.nextLine((line) => line === '{"loaded":true}', 'it loaded'),
  });
  return {
    pid: app.pid,
    start: async () => {
      const running = app.nextLine((line) => line === '{"ready":true}', 'it was running');
      app.writeLine('start');
      await running;
    },
    kill9: async () => void (await app.kill()),
    stop: async () => void (await app.stop()),
  };
}
