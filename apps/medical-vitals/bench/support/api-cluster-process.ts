import { AppProcess, freePort, type IsolatedContext } from '@remedy/testing';

const MAIN = new URL('../../src/main.ts', import.meta.url);

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
  /** The primary (with INGEST_WORKERS > 1) or the single API process; its workers print through its pipes. */
  app: AppProcess;
  port: number;
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
  const app = new AppProcess(MAIN, {
    name: 'the API',
    env: {
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: ctx.redisUrl,
      REDIS_KEY_PREFIX: ctx.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    // All of it: callers count lines over the whole run (workers listening, drained, replaced).
    outputChars: Infinity,
  });
  return { app, port };
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
  const { app, port } = await startApiProcess(ctx, env);
  const listening = (): number => app.output().split('medical-vitals listening').length - 1;
  await app.untilOutput(() => listening() >= workers, `${workers} workers listened`);
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    pids: () => [app.pid, ...app.childPids()],
    output: () => app.output(),
    stop: async () => (await app.terminate()).code,
  };
}
