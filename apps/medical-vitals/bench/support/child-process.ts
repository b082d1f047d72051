import { fork, type ChildProcess } from 'node:child_process';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;

/** A bench helper process (TypeScript through the repo's swc loader) spoken to over IPC. */
export class BenchChild<Result> {
  private readonly child: ChildProcess;
  private stderr = '';
  readonly ready: Promise<void>;
  readonly result: Promise<Result>;

  constructor(entry: URL, job: unknown) {
    this.child = fork(entry.pathname, [JSON.stringify(job)], {
      execArgv: ['--import', REGISTER],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4_000)),
    );
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (message: { type: string }) => {
        if (message.type === 'ready') resolve();
      });
      this.child.once('exit', (code) =>
        reject(new Error(`bench child exited (${code}) before it was ready: ${this.stderr}`)),
      );
    });
    this.result = new Promise((resolve, reject) => {
      this.child.on('message', (message: { type: string; result?: Result }) => {
        if (message.type === 'result') resolve(message.result as Result);
      });
      // 'close' comes after the IPC channel is drained, so a result sent just before exiting is never missed.
      this.child.once('close', (code) =>
        reject(new Error(`bench child exited (${code}) without a result: ${this.stderr}`)),
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

/** In a child: the job from argv (and an exit when the parent goes away, so no child outlives a failed bench). */
export function childJob<Job>(): Job {
  process.once('disconnect', () => process.exit(0));
  return JSON.parse(process.argv[2] ?? '{}') as Job;
}

export function tellParent(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export function nextParentMessage<M>(type: string): Promise<M> {
  return new Promise((resolve) => {
    const listener = (message: { type: string }): void => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message as M);
    };
    process.on('message', listener);
  });
}
