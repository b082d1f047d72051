import { openReplicatedDatabase, type FindingContext, type StreamingReplica } from '@remedy/testing';
import pg from 'pg';
import { buildConfig } from '../../src/config.js';
import { runMigrations } from '../../src/database/run-migrations.js';

export interface ReplicatedVitalsDatabase {
  /** The migrated database on the primary: DATABASE_URL for the app. */
  databaseUrl: string;
  /** The same database on a streaming replica: DATABASE_REPLICA_URL for the app. */
  replicaUrl: string;
  replica: StreamingReplica;
  /** A pool on the primary, for seeding. */
  pool: pg.Pool;
  /** Which server (by `pg_is_in_recovery()`) holds the sessions of each application_name, for this database. */
  serverByApplication(): Promise<Map<string, 'primary' | 'replica'>>;
  close(): Promise<void>;
}

/**
 * The medical-vitals schema on a primary with a real streaming replica (libs/testing's startStreamingReplica:
 * of the local server when it allows replication, else a throwaway pair from PostgreSQL's own binaries).
 */
export async function openReplicatedVitalsDatabase(ctx: FindingContext): Promise<ReplicatedVitalsDatabase> {
  const db = await openReplicatedDatabase({
    databaseUrl: ctx.databaseUrl,
    migrate: (url) => runMigrations(buildConfig({ DATABASE_URL: url })),
  });
  const pool = new pg.Pool({ connectionString: db.databaseUrl, max: 4 });
  const sessions = async (url: string): Promise<{ application: string; recovering: boolean }[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ application: string; recovering: boolean }>(
        `SELECT DISTINCT application_name AS application, pg_is_in_recovery() AS recovering
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> ''`,
      );
      return rows;
    } finally {
      await client.end();
    }
  };
  return {
    databaseUrl: db.databaseUrl,
    replicaUrl: db.replicaUrl,
    replica: db.replica,
    pool,
    serverByApplication: async () => {
      const found = new Map<string, 'primary' | 'replica'>();
      for (const url of [db.databaseUrl, db.replicaUrl])
        for (const row of await sessions(url))
          found.set(row.application, row.recovering ? 'replica' : 'primary');
      return found;
    },
    close: async () => {
      await pool.end();
      await db.close();
    },
  };
}
