import { openReplicatedDatabase, useTestContext, type ReplicatedDatabase } from '@remedy/testing';
import pg from 'pg';

const migrate = async (databaseUrl: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE TABLE note (id int PRIMARY KEY)');
  await client.end();
};

describe('a streaming replica', () => {
  const ctx = useTestContext({ name: 'replica-self', migrate });
  let db: ReplicatedDatabase;
  let primary: pg.Client;
  let replica: pg.Client;

  beforeAll(async () => {
    db = await openReplicatedDatabase({ databaseUrl: ctx.databaseUrl, migrate });
    primary = new pg.Client({ connectionString: db.databaseUrl });
    replica = new pg.Client({ connectionString: db.replicaUrl });
    await Promise.all([primary.connect(), replica.connect()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([primary?.end(), replica?.end()]);
    await db?.close();
  });

  const notesOnReplica = async (): Promise<number> => {
    const { rows } = await replica.query<{ n: number }>('SELECT count(*)::int AS n FROM note');
    return rows[0]!.n;
  };

  it('is a different server, in recovery, that receives the primary writes', async () => {
    const { rows } = await replica.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
    expect(rows[0]!.recovering).toBe(true);
    const { rows: onPrimary } = await primary.query<{ recovering: boolean }>(
      'SELECT pg_is_in_recovery() AS recovering',
    );
    expect(onPrimary[0]!.recovering).toBe(false);
    await primary.query('INSERT INTO note VALUES (1)');
    await db.replica.waitForCatchUp();
    expect(await notesOnReplica()).toBe(1);
  });

  it('with replay paused, serves the old rows until resumed', async () => {
    await db.replica.pauseReplay();
    try {
      await primary.query('INSERT INTO note VALUES (2)');
      // Committed on the primary (and streamed), but paused replay does not apply it.
      expect(await notesOnReplica()).toBe(1);
    } finally {
      await db.replica.resumeReplay();
    }
    await db.replica.waitForCatchUp();
    expect(await notesOnReplica()).toBe(2);
  });

  it('refuses writes', async () => {
    await expect(replica.query('INSERT INTO note VALUES (3)')).rejects.toThrow(/read-only transaction/);
  });
});
