import { fork, type ChildProcess } from 'node:child_process';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;

/**
 * A bench helper process (TypeScript through the repo's loader) spoken to over IPC: its own open-files budget
 * (20,000 per process here) is what lets a bench hold more sockets than one process may.
 */
export class BenchChild {
  private readonly child: ChildProcess;
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(entry: URL, job: unknown) {
    // The job goes over IPC, not argv: thousands of user IDs exceed the kernel's per-argument limit (E2BIG).
    this.child = fork(entry.pathname, [], {
      execArgv: ['--import', REGISTER],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4_000)),
    );
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    // Sent on request: a message that reached the child before its listener would be dropped.
    this.child.on('message', (message: { type: string }) => {
      if (message.type === 'send-job') this.child.send({ type: 'job', job });
    });
  }

  /** The child's next message of `type`; rejects if the child exits first. */
  next<M>(type: string): Promise<M> {
    return new Promise((resolve, reject) => {
      const listener = (message: { type: string }): void => {
        if (message.type !== type) return;
        this.child.off('message', listener);
        resolve(message as M);
      };
      this.child.on('message', listener);
      void this.exited.then((code) =>
        reject(new Error(`bench child exited (${code}) before "${type}": ${this.stderr}`)),
      );
    });
  }

  send(message: unknown): void {
    this.child.send(message as object);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** In a child: the job its parent sent; the child exits when the parent goes away, so none outlives a failed bench. */
export function childJob<Job>(): Promise<Job> {
  process.once('disconnect', () => process.exit(0));
  return new Promise((resolve) => {
    const listener = (message: { type: string; job?: Job }): void => {
      if (message.type !== 'job') return;
      process.off('message', listener);
      resolve(message.job as Job);
    };
    process.on('message', listener);
    process.send?.({ type: 'send-job' });
  });
}

export function tellParent(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}
