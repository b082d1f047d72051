import { freePort, spawnAppProcess, type AppProcess } from '@remedy/testing';
import { testEnvironment, type TestServices } from '../../findings/support/test-config.js';

const MAIN = new URL('../../src/main.ts', import.meta.url);

/** One documents API started as production starts it (`src/main.ts`), in a Node process of its own. */
export interface ApiInstanceProcess {
  url: string;
  pid: number;
  wsUrl: string;
  /** The last things it printed (errors: the benches run it at LOG_LEVEL=error). */
  output(): string;
  /** SIGTERM (sockets closed with 1012, texts due saved, pools closed); resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as an OOM kill or a lost machine would: no shutdown hook runs. Resolves once it has exited. */
  kill9(): Promise<void>;
}

/**
 * Starts the API on the context's database and Redis prefix and resolves once `/health` answers 200 (main.ts
 * prints nothing when it listens). Its own process: the bench's clients must not share its CPU or event loop.
 */
export async function startApiInstance(
  ctx: TestServices,
  overrides: Record<string, string> = {},
): Promise<ApiInstanceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { app } = await spawnAppProcess(MAIN, {
    name: 'the API',
    env: testEnvironment(ctx, { PORT: String(port), ...overrides }),
    ready: (starting) => healthy(url, starting),
  });
  return {
    url,
    pid: app.pid,
    wsUrl: `ws://127.0.0.1:${port}`,
    output: () => app.output(),
    stop: async () => void (await app.terminate()),
    kill9: async () => void (await app.kill()),
  };
}

/** Polls `/health` until it answers 200: start-up (loading the code, migrations) takes what it takes on a busy machine. */
async function healthy(url: string, app: AppProcess): Promise<void> {
  while (app.running()) {
    const answered = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // It exited without answering: left pending, so spawnAppProcess reports the exit with the process's output.
  await new Promise<never>(() => undefined);
}
