import pg from 'pg';
import { Redis } from 'ioredis';
import { DatabaseAdmin } from '../database/database-admin.js';
import { isolatedDatabaseName, newRunId, withDatabase } from '../database/database-names.js';
import {
  ensureSeededTemplateDatabase,
  ensureTemplateDatabase,
  type DatabaseSeed,
} from '../database/template-database.js';
import type { PackageHarness } from '../package-harness.js';
import { startTestServers } from '../servers/test-servers.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';

export interface IsolatedContext {
  /** A database of its own, cloned from the package template: nothing else reads or writes it. */
  databaseUrl: string;
  pool: pg.Pool;
  redisUrl: string;
  redis: Redis;
  /** Unique per context; use as the BullMQ `prefix` and to namespace Redis keys (see `key`). */
  prefix: string;
  key(name: string): string;
  /** A progress line: the demo and bench print it, jest drops it. */
  log(line: string): void;
  dispose(): Promise<void>;
}

export interface IsolatedContextOptions {
  log?: (line: string) => void;
  /** Rows the context's database starts with, from a template seeded once per run (see DatabaseSeed). */
  seed?: DatabaseSeed;
}

export async function createIsolatedContext(
  harness: PackageHarness,
  options: IsolatedContextOptions = {},
): Promise<IsolatedContext> {
  const servers = await startTestServers();
  const admin = new DatabaseAdmin(servers.databaseUrl);
  const packageTemplate = await ensureTemplateDatabase(admin, servers.databaseUrl, harness, servers.runId);
  const template = options.seed
    ? await ensureSeededTemplateDatabase(
        admin,
        servers.databaseUrl,
        harness,
        packageTemplate,
        options.seed,
        servers.runId,
      )
    : packageTemplate;
  const database = isolatedDatabaseName(harness.name, servers.runId);
  await admin.create(database, template);

  const databaseUrl = withDatabase(servers.databaseUrl, database);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    application_name: `remedy-test-${harness.name}`,
  });
  pool.on('error', () => undefined);
  const redis = new Redis(servers.redisUrl, { maxRetriesPerRequest: 3 });
  const prefix = `remedy-test:${harness.name}:${newRunId()}`;

  return {
    databaseUrl,
    pool,
    redisUrl: servers.redisUrl,
    redis,
    prefix,
    key: (name) => `${prefix}:${name}`,
    log: options.log ?? (() => undefined),
    dispose: async () => {
      await pool.end();
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
      admin.dropInBackground(database);
    },
  };
}
