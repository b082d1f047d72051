import { spawn } from 'node:child_process';
import type { LiveInstanceAddress, LiveInstanceJob } from './live-instance-child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./live-instance-child.ts', import.meta.url).pathname;

export interface LiveInstance extends LiveInstanceAddress {
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export function spawnLiveInstance(job: LiveInstanceJob): Promise<LiveInstance> {
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
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (started || !line) return;
      started = true;
      const address = JSON.parse(line) as LiveInstanceAddress;
      resolve({
        ...address,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`live instance exited with ${code} before listening: ${stderr}`));
    });
  });
}
