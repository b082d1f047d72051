import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ChatInstanceAddress, ChatInstanceJob } from './chat-instance-child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./chat-instance-child.ts', import.meta.url).pathname;

export interface ChatInstance extends ChatInstanceAddress {
  /** File descriptors the instance's process holds open now (sockets among them), from /proc. */
  openFileDescriptors(): number;
  /** The process's resident set size in bytes now (VmRSS in /proc). */
  residentSetBytes(): number;
  /** CPU time (user + system) the process has used so far, in seconds, from /proc. */
  cpuSeconds(): number;
  /** The resident set size right after a full garbage collection in the process: what it holds. */
  residentSetBytesAfterGc(): Promise<number>;
  /** The last few KB the process printed (its error logs), for a report that needs to say what went wrong. */
  output(): string;
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export function spawnChatInstance(job: ChatInstanceJob): Promise<ChatInstance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', REGISTER, ENTRY, JSON.stringify(job)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    let collected: (() => void) | undefined;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    const residentSetBytes = (): number =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (started) {
        if (collected && stdout.includes('{"gc":"done"}')) {
          stdout = stdout.replaceAll('{"gc":"done"}\n', '');
          collected();
        }
        stdout = stdout.slice(-4_000);
        return;
      }
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (!line) return;
      started = true;
      resolve({
        ...(JSON.parse(line) as ChatInstanceAddress),
        openFileDescriptors: () => readdirSync(`/proc/${child.pid}/fd`).length,
        residentSetBytes,
        cpuSeconds: () => {
          // utime and stime, fields 14 and 15 of /proc/<pid>/stat (counted after the command's closing parenthesis),
          // in clock ticks of 1/100 s (USER_HZ, 100 on Linux).
          const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          return (Number(fields[11]) + Number(fields[12])) / 100;
        },
        residentSetBytesAfterGc: async () => {
          await new Promise<void>((done) => {
            collected = done;
            child.stdin.write('gc\n');
          });
          collected = undefined;
          return residentSetBytes();
        },
        output: () => `${stdout}${stderr}`,
        stop: async () => {
          child.stdin.end();
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
