import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { IsolatedContext } from '@remedy/testing';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
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

/** `startApiProcess`, resolved once every worker listens. */
export async function spawnApiCluster(
  ctx: Pick<IsolatedContext, 'databaseUrl' | 'redisUrl' | 'prefix'>,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ApiClusterProcess> {
  const workers = Number(env['INGEST_WORKERS'] ?? '1');
  const { child, port, output, exited } = await startApiProcess(ctx, env);
  const listening = (): number => output().split('medical-vitals listening').length - 1;
  const deadline = Date.now() + timeoutMs;
  while (listening() < workers) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not start ${workers} workers: ${output().slice(-4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
