import { Socket } from 'node:net';
import pg from 'pg';
import {
  assertTestDatabaseName,
  databaseOf,
  isStaleHarnessDatabase,
  quoteIdent,
  withDatabase,
} from './database-names.js';

let backgroundDrops: Promise<void> = Promise.resolve();

/**
 * Settles when every drop asked for with `dropInBackground` so far has finished or failed. The drops' connections
 * do not hold the process (see dropInBackground), so whoever waits for them does: without it the demo and the
 * benches, whose last step is this wait, exited before writing their reports.
 */
export async function backgroundDropsSettled(): Promise<void> {
  const holdProcess = setInterval(() => undefined, 2 ** 30);
  try {
    await backgroundDrops;
  } finally {
    clearInterval(holdProcess);
  }
}

/** CREATE/DROP DATABASE on the server behind `serverUrl`, always through the maintenance database. */
export class DatabaseAdmin {
  constructor(private readonly serverUrl: string) {
    assertTestDatabaseName(databaseOf(serverUrl));
  }

  /**
   * `holdsProcess: false` lets the process exit while `fn`'s statement is still running on the server (see
   * dropInBackground): the connection holds the process only until it is established, so the statement is sent.
   */
  private async withClient<T>(
    fn: (client: pg.Client) => Promise<T>,
    { holdsProcess = true }: { holdsProcess?: boolean } = {},
  ): Promise<T> {
    const socket = new Socket();
    const client = new pg.Client({
      connectionString: withDatabase(this.serverUrl, 'postgres'),
      application_name: 'remedy-test-harness',
      stream: () => socket,
    });
    await client.connect();
    if (!holdsProcess) socket.unref();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async exists(name: string): Promise<boolean> {
    return this.withClient(async (client) => {
      const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      return result.rowCount === 1;
    });
  }

  async create(name: string, template?: string): Promise<void> {
    assertTestDatabaseName(name);
    const sql = template
      ? `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`
      : `CREATE DATABASE ${quoteIdent(name)}`;
    // Two CREATE … TEMPLATE at the same instant can collide on the template ("being accessed by other
    // users"); the window is milliseconds, so a short retry is the whole fix.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.withClient((client) => client.query(sql));
        return;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  async drop(name: string, { holdsProcess = true }: { holdsProcess?: boolean } = {}): Promise<void> {
    assertTestDatabaseName(name);
    await this.withClient(
      (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      { holdsProcess },
    );
  }

  async rename(from: string, to: string): Promise<void> {
    assertTestDatabaseName(from);
    assertTestDatabaseName(to);
    await this.withClient((client) =>
      client.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`),
    );
  }

  /** Serialises `fn` across processes (jest workers, demo) with an advisory lock keyed by `key`. */
  async exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    });
  }

  /**
   * Drops `name` after the drops asked for before it, without making the caller wait. DROP DATABASE waits
   * for a checkpoint, which flushes every dirty buffer of the server (other tests' writes too): 0.1-6 s on
   * this machine, paid once per measurement when awaited, a minute when another test bulk-loads. A drop that fails or never runs (the process
   * exits first) is left to the run owner's `dropMatching`, as the name carries the run id.
   *
   * Its connection does not hold the process: a jest worker whose last file's drop is still waiting on the
   * checkpoint would otherwise outlive jest's exit grace and be force-killed ("A worker process has failed to
   * exit gracefully"). A DROP already sent completes on the server without its client.
   */
  dropInBackground(name: string): void {
    assertTestDatabaseName(name);
    backgroundDrops = backgroundDrops
      .then(() => this.drop(name, { holdsProcess: false }))
      .catch(() => undefined);
  }

  async dropStale(): Promise<string[]> {
    const names = await this.withClient(async (client) => {
      const result = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'remedy\\_test\\_%'",
      );
      return result.rows.map((row) => row.datname).filter((name) => isStaleHarnessDatabase(name));
    });
    for (const name of names) await this.drop(name);
    return names;
  }

  async dropMatching(suffix: string): Promise<void> {
    const names = await this.withClient(async (client) => {
      const result = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'remedy\\_test\\_%'",
      );
      return result.rows.map((row) => row.datname).filter((name) => name.endsWith(suffix));
    });
    for (const name of names) await this.drop(name);
  }
}
