import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The partitioned unique index: at most one live (not cancelled) registration per user per event. */
export const ONE_LIVE_REGISTRATION_INDEX = 'registrations_one_live_per_user_per_event';

/*
 * The key: every row, with a last column that is NULL for a live registration and the row's own id for a
 * cancelled one. NULLS NOT DISTINCT (PostgreSQL 15+) makes two live rows of one user collide, while cancelled rows never do.
 */
const LIVE_KEY = `(event_id, user_id, event_starts_at, (CASE WHEN status = 'cancelled' THEN id END)) NULLS NOT DISTINCT`;

/*
 * A cancelled registration no longer blocks registering again: the unique key over every row becomes a unique
 * key over live rows only. event_starts_at stays in it because a unique index on a partitioned table must hold
 * the partition key; it is constant per event, so the key still means one live row per user per event
 * (ADR 0005). REGISTER_SQL's INSERT meets the new index as it met the old key: a live duplicate is a unique
 * violation, answered 409. An expression index rather than a partial one (WHERE status <> 'cancelled'): it
 * still indexes every row under the same leading columns, so it keeps serving the reads the old key served
 * (one event's registrations of one start, as the stats query asks: events:S-2), which a partial index
 * cannot for a query that counts cancelled rows too.
 *
 * An expand step (events:m-3, ADR 0006), built without blocking writes. PostgreSQL cannot build an index on a
 * partitioned table CONCURRENTLY, so: an index on the parent alone (ON ONLY: invalid, no partition touched),
 * then each partition's index CONCURRENTLY, each attached to the parent, which becomes valid once every
 * partition has one. Partitions made later get it from the parent. CONCURRENTLY cannot run in a transaction,
 * hence `transaction = false`; a half-built partition index left by an interrupted run is dropped and rebuilt.
 * Dropping the old key is expand-safe: the previous release names no constraint (its INSERT treats any unique
 * violation as "already registered", which the new index still raises for a live duplicate), so all it can
 * notice is that a cancelled user may register again.
 */
export class OneLiveRegistrationPerUser1780100000000 implements MigrationInterface {
  name = 'OneLiveRegistrationPerUser1780100000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${ONE_LIVE_REGISTRATION_INDEX} ON ONLY registrations ${LIVE_KEY}`,
    );
    const partitions = (await queryRunner.query(
      `SELECT c.relname AS partition, left(c.relname || '_one_live_per_user', 63) AS index,
              i.indisvalid AS valid, a.inhparent IS NOT NULL AS attached
         FROM pg_inherits p
         JOIN pg_class c ON c.oid = p.inhrelid
         LEFT JOIN pg_class ic ON ic.relname = left(c.relname || '_one_live_per_user', 63)
                              AND ic.relnamespace = c.relnamespace
         LEFT JOIN pg_index i ON i.indexrelid = ic.oid
         LEFT JOIN pg_inherits a ON a.inhrelid = ic.oid
        WHERE p.inhparent = 'registrations'::regclass
        ORDER BY c.relname`,
    )) as { partition: string; index: string; valid: boolean | null; attached: boolean }[];
    for (const { partition, index, valid, attached } of partitions) {
      if (valid === true && attached) continue;
      if (valid === false) await queryRunner.query(`DROP INDEX CONCURRENTLY "${index}"`);
      if (valid !== true) {
        await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY "${index}" ON "${partition}" ${LIVE_KEY}`);
      }
      await queryRunner.query(`ALTER INDEX ${ONE_LIVE_REGISTRATION_INDEX} ATTACH PARTITION "${index}"`);
    }
    await queryRunner.query(
      'ALTER TABLE registrations DROP CONSTRAINT IF EXISTS registrations_one_per_user_per_event',
    );
  }

  /** Fails while any user has registered again after a cancellation: those rows must go first. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE registrations ADD CONSTRAINT registrations_one_per_user_per_event
         UNIQUE (event_id, user_id, event_starts_at)`,
    );
    await queryRunner.query(`DROP INDEX ${ONE_LIVE_REGISTRATION_INDEX}`);
  }
}
