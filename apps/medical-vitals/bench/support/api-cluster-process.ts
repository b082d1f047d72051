import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort, type IsolatedContext } from '@remedy/testing';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

export interface ApiClusterProcess {
  url: string;
  wsUrl: string;
  /** The primary and, with INGEST_WORKERS > 1, its worker processes. */
  pids(): number[];
  /** Everything the processes printed (logs, start-up, shutdown). */
  output(): string;
  /** SIGTERM to the primary (every worker drains), resolves with its exit code. */
  stop(): Promise<number | null>;
}

export interface ApiProcess {
  /** The primary (with INGEST_WORKERS > 1) or the single API process. */
  child: ChildProcess;
  port: number;
  /** Everything the processes printed (logs, start-up, shutdown). */
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts the API as production does (`src/main.ts`, with `INGEST_WORKERS` and anything else from `env`) in its own
 * process tree on 127.0.0.1 (a free port unless `env` names one), on the context's database and Redis prefix.
 */
export async function startApiProcess(
  ctx: Pick<IsolatedContext, 'databaseUrl' | 'redisUrl' | 'prefix'>,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const port = env['PORT'] === undefined ? await freePort() : Number(env['PORT']);
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: ctx.redisUrl,
      REDIS_KEY_PREFIX: ctx.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}

/**
 * `startApiProcess`, resolved once every worker listens, or rejected when the primary exits first. No deadline
 * of its own: on a loaded machine start-up takes what it takes, and the caller's own timeout bounds a hang.
 */
export async function spawnApiCluster(
  ctx: Pick<IsolatedContext, 'databaseUrl' | 'redisUrl' | 'prefix'>,
  env: Record<string, string>,
): Promise<ApiClusterProcess> {
  const workers = Number(env['INGEST_WORKERS'] ?? '1');
  const { child, port, output, exited } = await startApiProcess(ctx, env);
  const listening = (): number => output().split('medical-vitals listening').length - 1;
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (listening() < workers) return;
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      resolve();
    };
    // After startApiProcess's own listeners, so `output()` already holds the chunk.
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) =>
      reject(
        new Error(`the API exited (${code}) before ${workers} workers listened: ${output().slice(-4_000)}`),
      ),
    );
    check();
  });
  const primary = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    pids: () => [
      primary,
      ...readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8')
        .split(' ')
        .filter((pid) => pid.trim() !== '')
        .map(Number),
    ],
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
