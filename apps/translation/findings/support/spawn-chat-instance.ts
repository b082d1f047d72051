import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ChatInstanceAddress, ChatInstanceJob } from './chat-instance-child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./chat-instance-child.ts', import.meta.url).pathname;

export interface ChatInstance extends ChatInstanceAddress {
  /** `ws://…` of the same instance. */
  wsUrl: string;
  /** The process's resident set size now (from /proc): a bench divides its growth by the sockets it holds. */
  residentSetBytes(): number;
  /** Sends SIGTERM (the instance drains: its sockets get 1012) and waits for the process to exit. */
  terminate(): Promise<void>;
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export function spawnChatInstance(job: ChatInstanceJob): Promise<ChatInstance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, ENTRY, JSON.stringify(job)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    let exitedAlready = false;
    const exited = new Promise<void>((done) =>
      child.once('exit', () => {
        exitedAlready = true;
        done();
      }),
    );
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (started || !line) return;
      started = true;
      const address = JSON.parse(line) as ChatInstanceAddress;
      resolve({
        ...address,
        wsUrl: address.url.replace(/^http/, 'ws'),
        residentSetBytes: () =>
          Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) *
          1024,
        terminate: async () => {
          if (!exitedAlready) child.kill('SIGTERM');
          await exited;
        },
        stop: async () => {
          if (!exitedAlready) child.stdin.end();
          await exited;
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`chat instance exited with ${code} before listening: ${stderr}`));
    });
  });
}
