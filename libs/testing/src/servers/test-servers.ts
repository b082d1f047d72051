import { backgroundDropsSettled, DatabaseAdmin } from '../database/database-admin.js';
import { newRunId } from '../database/database-names.js';
import { publishServerUrls, readTestingEnv } from '../testing-env.js';
import { ensurePostgres, redact, type PostgresFallback, type RunningServer } from './postgres-server.js';
import { ensureRedis } from './redis-server.js';

export interface TestServers {
  databaseUrl: string;
  redisUrl: string;
  runId: string;
  describe(): string;
  stop(): Promise<void>;
}

let resolving: Promise<TestServers> | undefined;

/**
 * Resolves the PostgreSQL and Redis this process uses, once. The URLs are published to the environment so
 * child processes (jest workers, a relay started by a test) use the same servers and the same run.
 */
export function startTestServers(
  options: { postgresFallbacks?: PostgresFallback[] } = {},
): Promise<TestServers> {
  resolving ??= resolve(options.postgresFallbacks ?? ['container', 'embedded']);
  return resolving;
}

async function resolve(postgresFallbacks: PostgresFallback[]): Promise<TestServers> {
  const env = readTestingEnv();
  const [postgres, redis] = await Promise.all([
    ensurePostgres({ envUrl: env.databaseUrl, fallbacks: postgresFallbacks }),
    ensureRedis({ envUrl: env.redisUrl }),
  ]);
  // The process that starts a run owns it: it drops the run's template databases when it stops.
  const ownsRun = env.runId === undefined;
  const runId = env.runId ?? newRunId();
  publishServerUrls({ databaseUrl: postgres.url, redisUrl: redis.url, runId });
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    runId,
    describe: () => `PostgreSQL ${describeServer(postgres)}, Redis ${describeServer(redis)}`,
    stop: async () => {
      await backgroundDropsSettled();
      if (ownsRun) await new DatabaseAdmin(postgres.url).dropMatching(`_${runId}`);
      await Promise.all([postgres.stop(), redis.stop()]);
      resolving = undefined;
    },
  };
}

function describeServer(server: RunningServer): string {
  return `${redact(server.url)} (${server.source})`;
}
