import { spawn, type ChildProcess } from 'node:child_process';
import type { RelayProcessConfig, RelayProcessProgress } from './relay-process.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./relay-process.ts', import.meta.url).pathname;

/** Starts `relay-process.ts` as its own Node process (TypeScript through the repo's swc loader). */
export class RelayProcessHandle {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private published = 0;
  private stderr = '';

  constructor(config: RelayProcessConfig) {
    this.child = spawn(process.execPath, ['--import', REGISTER, ENTRY, JSON.stringify(config)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (message: RelayProcessProgress) => (this.published = message.published));
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Resolves once the child reports `count` records published; rejects if it exits or stalls first. */
  async waitForPublished(count: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.published < count) {
      if (this.child.exitCode !== null)
        throw new Error(
          `relay process exited (${this.child.exitCode}) before publishing ${count}: ${this.stderr}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `relay process published ${this.published}/${count} within ${timeoutMs} ms: ${this.stderr}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.published;
  }

  /** SIGKILL: no handler runs, no transaction is committed or rolled back by the process itself. */
  async killHard(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
