import { spawn } from 'node:child_process';
import type { SearchWorkerJob } from './search-worker-plugs.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./search-worker-child.ts', import.meta.url).pathname;

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
export function spawnSearchWorker(job: SearchWorkerJob): Promise<SearchWorkerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, ENTRY, JSON.stringify(job)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let loaded = false;
    let onReady: (() => void) | undefined;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const running = () => child.exitCode === null && child.signalCode === null;
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-4_000);
      if (onReady && stdout.includes('{"ready":true}')) onReady();
      if (loaded || !stdout.includes('{"loaded":true}')) return;
      loaded = true;
      resolve({
        pid: child.pid ?? -1,
        start: () =>
          new Promise<void>((ready, failed) => {
            onReady = ready;
            void exited.then(() => failed(new Error(`search worker exited before it was ready: ${stderr}`)));
            child.stdin.write('start\n');
          }),
        kill9: async () => {
          if (running()) child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (!running()) return;
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!loaded) reject(new Error(`search worker exited with ${code} before it loaded: ${stderr}`));
    });
  });
}
