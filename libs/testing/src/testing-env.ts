// The one place the harness reads the environment: where the servers are and which run this process belongs to.
export interface TestingEnv {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  runId: string | undefined;
}

export function readTestingEnv(): TestingEnv {
  return {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    runId: process.env.REMEDY_TEST_RUN_ID,
  };
}

export function publishServerUrls(urls: { databaseUrl: string; redisUrl: string; runId: string }): void {
  process.env.DATABASE_URL = urls.databaseUrl;
  process.env.REDIS_URL = urls.redisUrl;
  process.env.REMEDY_TEST_RUN_ID = urls.runId;
}

export const LOOPBACK_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const LOOPBACK_REDIS_URL = 'redis://127.0.0.1:6379';
