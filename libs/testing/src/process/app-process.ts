import { spawn, type ChildProcess } from 'node:child_process';
import { cpuSecondsOfProcesses } from '../profiling/process-cpu.js';
import { childPidsOf, openFileDescriptorsOf, residentSetBytesOf } from '../profiling/process-facts.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;

export interface AppProcessOptions {
  /** What the process is, for error reports ("chat instance"). */
  name: string;
  /** Arguments after the entry point (a child's job as JSON in argv[2], by the repo's convention). */
  args?: readonly string[];
  /** Set over the parent's environment. */
  env?: Readonly<Record<string, string>>;
  /** Node flags before the loader's (`--expose-gc`). */
  execArgv?: readonly string[];
  /** 'pipe' for a process that reads commands from its stdin or stops when it closes (`stop()`). */
  stdin?: 'pipe' | 'ignore';
  /** An IPC channel: `send()` and `onMessage()`. */
  ipc?: boolean;
  /**
   * How much of its output (stdout and stderr as they came) to keep for `output()` and error reports: the last
   * 8,000 characters unless told; Infinity where a caller reads the whole log.
   */
  outputChars?: number;
}

export interface SpawnAppProcessOptions<Ready> extends AppProcessOptions {
  /** What "ready" means for this process: a line it prints, its health endpoint, a count of log lines. */
  ready: (app: AppProcess) => Promise<Ready>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A TypeScript entry point in a Node process of its own (through the repo's loader, scripts/register.js): its
 * /proc facts, the tail of its output, the lines and IPC messages it sends, and the three ways to stop it.
 */
export class AppProcess {
  readonly pid: number;
  /** Resolves once the process has exited and its output and IPC messages are all in (the child's 'close'). */
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private status: ExitStatus | undefined;
  private outputTail = '';
  private partialLine = '';
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly outputListeners = new Set<() => void>();

  constructor(
    entry: URL | string,
    private readonly options: AppProcessOptions,
  ) {
    const path = typeof entry === 'string' ? entry : entry.pathname;
    this.child = spawn(
      process.execPath,
      [...(options.execArgv ?? []), '--import', REGISTER, path, ...(options.args ?? [])],
      {
        env: { ...process.env, ...options.env },
        stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
      },
    );
    this.pid = this.child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve((this.status = { code, signal })));
      // A process that could not be started has no 'close' to wait for.
      this.child.once('error', (error) => {
        this.keep(`${String(error)}\n`);
        if (this.child.pid === undefined) resolve((this.status = { code: null, signal: null }));
      });
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.readStdout(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => this.keep(chunk.toString()));
  }

  /** False once the process has exited (or been signalled), even before its output is all in. */
  running(): boolean {
    return this.status === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last of what it printed (see `outputChars`), for a report that must say what went wrong. */
  output(): string {
    return this.outputTail;
  }

  residentSetBytes(): number {
    return residentSetBytesOf(this.pid);
  }

  /** CPU time (user + system) it has used so far, in seconds. */
  cpuSeconds(): number {
    return cpuSecondsOfProcesses([this.pid]);
  }

  openFileDescriptors(): number {
    return openFileDescriptorsOf(this.pid);
  }

  /** Its direct children now (a cluster primary's workers). */
  childPids(): number[] {
    return childPidsOf(this.pid);
  }

  /** Writes one line to its stdin (`stdin: 'pipe'`). */
  writeLine(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** The next line it prints on stdout that passes `test`; rejects with its output if it exits first. */
  nextLine(test: (line: string) => boolean, what = 'printing the line awaited'): Promise<string> {
    let listener: (line: string) => void = () => undefined;
    const line = new Promise<string>((resolve) => {
      listener = (candidate) => {
        if (!test(candidate)) return;
        this.lineListeners.delete(listener);
        resolve(candidate);
      };
      this.lineListeners.add(listener);
    });
    return this.whileRunning(line, what);
  }

  /** The next stdout line that starts with `prefix`, parsed as JSON. */
  async nextJsonLine<T>(prefix: string): Promise<T> {
    return JSON.parse(await this.nextLine((line) => line.startsWith(prefix), `printing ${prefix}…`)) as T;
  }

  /** Resolves once `check()` holds, asked now and after each chunk of output; rejects if it exits first. */
  untilOutput(check: () => boolean, what: string): Promise<void> {
    let listener: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      listener = () => {
        if (!check()) return;
        this.outputListeners.delete(listener);
        resolve();
      };
      this.outputListeners.add(listener);
      listener();
    });
    return this.whileRunning(held, what);
  }

  /** `promise`, or a rejection with the exit status and the output's tail if the process exits first. */
  whileRunning<T>(promise: Promise<T>, what: string): Promise<T> {
    return Promise.race([
      promise,
      this.exited.then((status) => {
        throw new Error(
          `${this.options.name} exited (${status.code ?? status.signal}) before ${what}: ${this.outputTail}`,
        );
      }),
    ]);
  }

  send(message: unknown): void {
    this.child.send(message as object);
  }

  onMessage<M>(listener: (message: M) => void): void {
    this.child.on('message', listener);
  }

  /** Closes its stdin (the repo's children then shut down gracefully) and waits for it to exit. */
  stop(): Promise<ExitStatus> {
    if (this.running()) this.child.stdin!.end();
    return this.exited;
  }

  /** SIGTERM (a deploy's stop: the app's own graceful drain) and waits for it to exit. */
  terminate(): Promise<ExitStatus> {
    if (this.running()) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** SIGKILL, as an OOM kill or a lost machine would: no shutdown hook runs. Waits for it to exit. */
  kill(): Promise<ExitStatus> {
    if (this.running()) this.child.kill('SIGKILL');
    return this.exited;
  }

  private readStdout(text: string): void {
    this.keep(text);
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop()!;
    for (const line of lines) for (const listener of [...this.lineListeners]) listener(line);
  }

  private keep(text: string): void {
    this.outputTail = (this.outputTail + text).slice(-(this.options.outputChars ?? 8_000));
    for (const listener of [...this.outputListeners]) listener();
  }
}

/**
 * Starts `entry` in a Node process of its own and resolves once `ready` does, with what it gave (an address the
 * process printed, say). Rejects with the process's output if it exits first; a process that failed to become
 * ready is killed, so none outlives its failed start.
 */
export async function spawnAppProcess<Ready>(
  entry: URL | string,
  options: SpawnAppProcessOptions<Ready>,
): Promise<{ app: AppProcess; ready: Ready }> {
  const app = new AppProcess(entry, options);
  try {
    return { app, ready: await app.whileRunning(options.ready(app), 'it was ready') };
  } catch (error) {
    await app.kill();
    throw error;
  }
}
