import { spawn } from 'node:child_process';
import { freePort } from '@remedy/testing';
import { testEnvironment, type TestServices } from '../../findings/support/test-config.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

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
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    env: { ...process.env, ...testEnvironment(ctx, { PORT: String(port), ...overrides }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-8_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  // Polled until it answers: start-up (loading the code, migrations) takes what it takes on a busy machine.
  for (;;) {
    if (gone) throw new Error(`the API exited before it listened: ${output}`);
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    wsUrl: `ws://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
