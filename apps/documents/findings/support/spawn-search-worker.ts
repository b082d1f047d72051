import { spawn } from 'node:child_process';
import type { SearchWorkerJob } from './search-worker-child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./search-worker-child.ts', import.meta.url).pathname;

export interface SearchWorkerProcess {
  pid: number;
  /** SIGKILL, as an OOM kill or a lost machine would: no shutdown hook runs. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Closes the worker's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one documents worker in a fresh Node process and resolves once its relay and indexer run. */
export function spawnSearchWorker(job: SearchWorkerJob): Promise<SearchWorkerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, ENTRY, JSON.stringify(job)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return;
      stdout += chunk.toString();
      if (!stdout.includes('{"ready":true}')) return;
      started = true;
      resolve({
        pid: child.pid ?? -1,
        kill9: async () => {
          child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`search worker exited with ${code} before it was ready: ${stderr}`));
    });
  });
}
