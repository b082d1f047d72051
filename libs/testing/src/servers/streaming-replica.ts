import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { run, serverDir, startPostmaster, type Postmaster } from './postgres-process.js';

/**
 * A hot standby of a PostgreSQL server, streaming its WAL over loopback: what a proof about read routing reads
 * from, so "which server answered" is a fact of the connection (`pg_is_in_recovery()`), not a pool's name.
 */
export interface StreamingReplica {
  /** The replica, for the database the primary URL names (databases created on the primary later stream too). */
  url: string;
  /** The replica URL for another database. */
  urlFor(database: string): string;
  /** Stops applying WAL (`pg_wal_replay_pause()`): the replica keeps answering with what it had. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has applied everything the primary had written when it was called. */
  waitForCatchUp(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** A throwaway primary (its own initdb, replication allowed on loopback) and a streaming replica of it. */
export interface ReplicatedPostgres {
  /** Superuser URL of the primary, database `postgres`. */
  primaryUrl: string;
  replica: StreamingReplica;
  stop(): Promise<void>;
}

/** The primary refused the replication connection pg_basebackup needs (no `replication` line in its pg_hba.conf). */
export class ReplicationRefusedError extends Error {}

/** PostgreSQL's own binaries: PG_BIN_DIR, else the newest /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`. */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'pg_basebackup')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(root, majors[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'No PostgreSQL binaries (pg_basebackup, postgres): install postgresql or set PG_BIN_DIR.',
    );
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Settings a hot standby must have at least as high as its primary, or it refuses to start. */
const STANDBY_MINIMUMS = [
  'max_connections',
  'max_worker_processes',
  'max_wal_senders',
  'max_prepared_transactions',
  'max_locks_per_transaction',
];

/**
 * Starts a hot standby of the server at `primaryUrl`: `pg_basebackup -R -X stream` into a temp directory, then
 * `postgres` on a free loopback port (as the `postgres` user when this process is root). The primary must allow
 * a replication connection for the URL's user from 127.0.0.1; when it does not, this throws
 * {@link ReplicationRefusedError} rather than editing the server's configuration.
 */
export async function startStreamingReplica(options: { primaryUrl: string }): Promise<StreamingReplica> {
  const primary = new URL(options.primaryUrl);
  const database = decodeURIComponent(primary.pathname.slice(1)) || 'postgres';
  const minimums = await withClient(options.primaryUrl, async (client) => {
    const values: Record<string, string> = {};
    for (const name of STANDBY_MINIMUMS) {
      const { rows } = await client.query<Record<string, string>>(`SHOW ${name}`);
      values[name] = Object.values(rows[0]!)[0]!;
    }
    return values;
  });
  const dir = serverDir('remedy-replica-');
  const dataDir = join(dir, 'data');
  try {
    await run(
      join(postgresBinDir(), 'pg_basebackup'),
      [
        '-h',
        primary.hostname,
        '-p',
        primary.port || '5432',
        '-U',
        decodeURIComponent(primary.username) || 'postgres',
        '-D',
        dataDir,
        '-X',
        'stream',
        '-R',
        '--checkpoint=fast',
        '--no-sync',
      ],
      primary.password ? { PGPASSWORD: decodeURIComponent(primary.password) } : {},
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    if (/no pg_hba\.conf entry for replication/.test(message))
      throw new ReplicationRefusedError(
        `The primary at ${primary.host} refuses replication connections (its pg_hba.conf has no \`replication\` ` +
          `line for ${primary.username || 'postgres'} on 127.0.0.1), so no streaming replica can be made from it: ${message}`,
      );
    throw error;
  }
  // A Debian cluster keeps its configuration outside the data directory, so the copy may have none: the
  // replica gets its own access rules (trust on loopback and its socket) and takes the rest from defaults.
  const hbaFile = join(dir, 'pg_hba.conf');
  writeFileSync(hbaFile, 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  const identFile = join(dir, 'pg_ident.conf');
  writeFileSync(identFile, '');
  chmodSync(hbaFile, 0o644);
  chmodSync(identFile, 0o644);
  const postmaster = await startPostmaster(join(postgresBinDir(), 'postgres'), dataDir, dir, {
    ...minimums,
    hba_file: hbaFile,
    ident_file: identFile,
    hot_standby: 'on',
    fsync: 'off',
    ssl: 'off',
    // A replica that queries wait on would hold replay back behind a running dashboard read, and vice versa.
    max_standby_streaming_delay: '-1',
    hot_standby_feedback: 'on',
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const urlFor = (name: string): string => {
    const url = new URL(options.primaryUrl);
    url.hostname = '127.0.0.1';
    url.port = String(postmaster.port);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  };
  const admin = urlFor('postgres');
  let stopped = false;
  return {
    url: urlFor(database),
    urlFor,
    pauseReplay: () =>
      withClient(admin, async (client) => {
        await client.query('SELECT pg_wal_replay_pause()');
        // The pause takes effect at the next record; wait until replay has really stopped.
        for (;;) {
          const { rows } = await client.query<{ state: string }>(
            'SELECT pg_get_wal_replay_pause_state() AS state',
          );
          if (rows[0]!.state === 'paused') return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    resumeReplay: () =>
      withClient(admin, async (client) => {
        await client.query('SELECT pg_wal_replay_resume()');
      }),
    waitForCatchUp: async ({ timeoutMs = 30_000 } = {}) => {
      const target = await withClient(options.primaryUrl, async (client) => {
        const { rows } = await client.query<{ lsn: string }>(
          'SELECT pg_current_wal_insert_lsn()::text AS lsn',
        );
        return rows[0]!.lsn;
      });
      await withClient(admin, async (client) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const { rows } = await client.query<{ caught: boolean; at: string | null }>(
            'SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0 AS caught, pg_last_wal_replay_lsn()::text AS at',
            [target],
          );
          if (rows[0]!.caught) return;
          if (Date.now() > deadline)
            throw new Error(
              `the replica replayed up to ${rows[0]!.at}, not ${target}, within ${timeoutMs} ms`,
            );
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await postmaster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A throwaway primary and its streaming replica, both from PostgreSQL's own binaries on loopback: for a proof
 * that needs a replica where the local server refuses replication connections.
 */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const dir = serverDir('remedy-primary-');
  const dataDir = join(dir, 'data');
  let postmaster: Postmaster | undefined;
  try {
    // --auth=trust writes pg_hba lines for replication on loopback and the socket as well.
    await run(join(postgresBinDir(), 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
    ]);
    postmaster = await startPostmaster(join(postgresBinDir(), 'postgres'), dataDir, dir, {
      fsync: 'off',
      full_page_writes: 'off',
      max_connections: '200',
      wal_level: 'replica',
    });
    const primaryUrl = `postgres://postgres@127.0.0.1:${postmaster.port}/postgres`;
    const replica = await startStreamingReplica({ primaryUrl });
    const started = postmaster;
    return {
      primaryUrl,
      replica,
      stop: async () => {
        await replica.stop();
        await started.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await postmaster?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A database with a streaming replica, for one measurement. */
export interface ReplicatedDatabase {
  /** The database on the primary. */
  databaseUrl: string;
  /** The same database on the replica. */
  replicaUrl: string;
  replica: StreamingReplica;
  /** 'loopback': a replica of the given server; 'throwaway': a primary and replica of their own. */
  source: 'loopback' | 'throwaway';
  close(): Promise<void>;
}

/**
 * A replica of the server holding `databaseUrl` when it allows replication connections; otherwise a throwaway
 * primary+replica pair with a fresh database built by `migrate` (the caller seeds through `databaseUrl`).
 */
export async function openReplicatedDatabase(options: {
  databaseUrl: string;
  migrate: (databaseUrl: string) => Promise<void>;
}): Promise<ReplicatedDatabase> {
  try {
    const replica = await startStreamingReplica({ primaryUrl: options.databaseUrl });
    return {
      databaseUrl: options.databaseUrl,
      replicaUrl: replica.url,
      replica,
      source: 'loopback',
      close: () => replica.stop(),
    };
  } catch (error) {
    if (!(error instanceof ReplicationRefusedError)) throw error;
  }
  const pair = await startReplicatedPostgres();
  try {
    const name = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1)) || 'test_replicated';
    await withClient(pair.primaryUrl, (client) =>
      client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`),
    );
    const databaseUrl = new URL(pair.primaryUrl);
    databaseUrl.pathname = `/${encodeURIComponent(name)}`;
    await options.migrate(databaseUrl.toString());
    await pair.replica.waitForCatchUp();
    return {
      databaseUrl: databaseUrl.toString(),
      replicaUrl: pair.replica.urlFor(name),
      replica: pair.replica,
      source: 'throwaway',
      close: () => pair.stop(),
    };
  } catch (error) {
    await pair.stop();
    throw error;
  }
}
