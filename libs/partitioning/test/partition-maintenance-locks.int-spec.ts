import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import pg from 'pg';
import {
  PartitionMaintainer,
  definePartitionPolicy,
  partitionName,
  type PartitionPolicy,
} from '../src/index.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { tableExists } from './support/readings-table.js';

const ctx = useTestContext(partitioningHarness);

const WRITERS = 8;
const MAINTENANCE_RUNS = 12;
const DEADLOCK_DETECTED = '40P01';
const LOCK_NOT_AVAILABLE = '55P03';
const LOCK_TIMEOUT_MS = 2_000;
const HOT_DAYS = 3;
const FAR_FUTURE = new Date('2999-01-01T00:00:00Z');
const now = new Date();

/*
 * The shape of a registration: one statement that updates the referenced row and then inserts into the
 * partitioned child table whose foreign keys point back at it. Half the rows land in the default partition,
 * which ATTACH locks ACCESS EXCLUSIVE while it checks that none of them belong to the new range.
 */
const WRITE_SQL = `
WITH seat AS (
  UPDATE lock_events SET taken = taken + 1 WHERE id = $1 RETURNING id
)
INSERT INTO lock_registrations (event_id, user_id, starts_at)
SELECT id, $1, $2 FROM seat`;

/** Each test starts from empty tables in the file's database. */
async function createSchema(pool: pg.Pool): Promise<void> {
  await pool.query(`
    DROP TABLE IF EXISTS lock_registrations, lock_events, lock_users;
    CREATE TABLE lock_events (id integer PRIMARY KEY, taken integer NOT NULL DEFAULT 0);
    CREATE TABLE lock_users (id integer PRIMARY KEY);
    CREATE TABLE lock_registrations (
      id        bigint GENERATED ALWAYS AS IDENTITY,
      event_id  integer NOT NULL REFERENCES lock_events (id),
      user_id   integer NOT NULL REFERENCES lock_users (id),
      starts_at timestamptz NOT NULL,
      PRIMARY KEY (id, starts_at)
    ) PARTITION BY RANGE (starts_at);
    INSERT INTO lock_events (id) SELECT generate_series(1, ${WRITERS});
    INSERT INTO lock_users (id) SELECT generate_series(1, ${WRITERS});`);
}

interface Outcome {
  writes: number;
  errors: { code: string | undefined; message: string; detail: string | undefined }[];
}

function describeError(error: unknown): Outcome['errors'][number] {
  const pgError = error as { code?: string; message?: string; detail?: string };
  return { code: pgError.code, message: pgError.message ?? String(error), detail: pgError.detail };
}

/**
 * Runs `maintenance` MAINTENANCE_RUNS times while WRITERS connections write as fast as they can, and
 * collects every error from either side.
 */
async function maintainUnderWrites(
  rowTimes: readonly Date[],
  maintenance: (run: number) => Promise<unknown>,
): Promise<Outcome> {
  const writerPool = new pg.Pool({ connectionString: ctx.databaseUrl, max: WRITERS });
  // pool.end() resolves before its backends have exited: the file's database drop (WITH FORCE) that follows
  // the last test can terminate one, and an idle client's error with no listener fails the file.
  writerPool.on('error', () => undefined);
  const outcome: Outcome = { writes: 0, errors: [] };
  let maintaining = true;
  const writer = async (id: number): Promise<void> => {
    for (let round = 0; maintaining; round += 1) {
      try {
        await writerPool.query(WRITE_SQL, [id, rowTimes[round % rowTimes.length]]);
        outcome.writes += 1;
      } catch (error) {
        outcome.errors.push(describeError(error));
      }
    }
  };
  const maintainer = async (): Promise<void> => {
    try {
      for (let run = 1; run <= MAINTENANCE_RUNS; run += 1) {
        await maintenance(run).catch((error: unknown) => outcome.errors.push(describeError(error)));
      }
    } finally {
      maintaining = false;
    }
  };
  try {
    await Promise.all([maintainer(), ...Array.from({ length: WRITERS }, (_, index) => writer(index + 1))]);
  } finally {
    maintaining = false;
    await writerPool.end();
  }
  return outcome;
}

function expectNoDeadlocks(outcome: Outcome): void {
  expect(outcome.errors.filter((error) => error.code === DEADLOCK_DETECTED)).toEqual([]);
  expect(outcome.errors.filter((error) => error.code !== LOCK_NOT_AVAILABLE)).toEqual([]);
  expect(outcome.writes).toBeGreaterThan(0);
}

describe('partition maintenance under live writes through a foreign key', () => {
  test('creating partitions never deadlocks with the writers', async () => {
    await createSchema(ctx.pool);
    const policy = registrationsPolicy();
    await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy);

    const outcome = await maintainUnderWrites([FAR_FUTURE, now], (run) =>
      new PartitionMaintainer(ctx.pool, {
        now: () => startOfUtcDay(now, run),
        lockTimeoutMs: LOCK_TIMEOUT_MS,
      }).ensurePartitions(policy),
    );

    expectNoDeadlocks(outcome);
  });

  test('retiring partitions never deadlocks with the writers', async () => {
    await createSchema(ctx.pool);
    const policy = registrationsPolicy();
    const lastDay = startOfUtcDay(now, MAINTENANCE_RUNS + 1);
    await new PartitionMaintainer(ctx.pool, { now: () => lastDay }).ensurePartitions(policy, {
      from: startOfUtcDay(now, -HOT_DAYS),
    });

    const outcome = await maintainUnderWrites([FAR_FUTURE, lastDay], (run) =>
      new PartitionMaintainer(ctx.pool, {
        now: () => startOfUtcDay(now, run),
        lockTimeoutMs: LOCK_TIMEOUT_MS,
      }).applyRetention(policy),
    );

    expectNoDeadlocks(outcome);
    expect(await tableExists(ctx.pool, partitionName(policy.table, startOfUtcDay(now, -HOT_DAYS)))).toBe(
      false,
    );
  });
});

function registrationsPolicy(): PartitionPolicy {
  return definePartitionPolicy({
    table: 'lock_registrations',
    column: 'starts_at',
    interval: 'day',
    premake: 1,
    hotRetention: { days: HOT_DAYS },
  });
}
