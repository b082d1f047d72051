import { AppProcess } from '@remedy/testing';
import type { RelayProcessConfig, RelayProcessProgress } from './relay-process.js';

const ENTRY = new URL('./relay-process.ts', import.meta.url);

/** Starts `relay-process.ts` as its own Node process (TypeScript through the repo's swc loader). */
export class RelayProcessHandle {
  private readonly app: AppProcess;
  private published = 0;
  private onProgress: () => void = () => undefined;

  constructor(config: RelayProcessConfig) {
    this.app = new AppProcess(ENTRY, { name: 'relay process', args: [JSON.stringify(config)], ipc: true });
    this.app.onMessage((message: RelayProcessProgress) => {
      this.published = message.published;
      this.onProgress();
    });
  }

  /** Resolves once the child reports `count` records published; rejects if it exits or stalls first. */
  async waitForPublished(count: number, timeoutMs: number): Promise<number> {
    let stalled: NodeJS.Timeout | undefined;
    const reached = new Promise<number>((resolve, reject) => {
      this.onProgress = () => {
        if (this.published >= count) resolve(this.published);
      };
      this.onProgress();
      stalled = setTimeout(
        () =>
          reject(
            new Error(
              `relay process published ${this.published}/${count} within ${timeoutMs} ms: ${this.app.output()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await this.app.whileRunning(reached, `publishing ${count}`);
    } finally {
      clearTimeout(stalled);
    }
  }

  /** SIGKILL: no handler runs, no transaction is committed or rolled back by the process itself. */
  async killHard(): Promise<void> {
    await this.app.kill();
  }
}
