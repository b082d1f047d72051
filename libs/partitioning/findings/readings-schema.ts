import pg from 'pg';
import { createUnpartitionedReadingsTable } from '../katas/unpartitioned-table.flawed.js';

/** The remediated table: the same columns, range-partitioned by time; partitions come from PartitionMaintainer. */
export const PARTITIONED_READINGS_TABLE = 'vital_readings';

export async function createPartitionedReadingsTable(
  client: pg.ClientBase | pg.Pool,
  table: string,
): Promise<void> {
  // The primary key includes the partition key: PostgreSQL enforces uniqueness per partition only.
  await client.query(`
    CREATE TABLE ${table} (
      data_id     bigint GENERATED ALWAYS AS IDENTITY,
      device_id   integer NOT NULL,
      patient_id  integer NOT NULL,
      recorded_at timestamptz NOT NULL,
      heart_rate  smallint,
      spo2        smallint,
      temperature numeric(4, 1),
      note        text,
      PRIMARY KEY (data_id, recorded_at)
    ) PARTITION BY RANGE (recorded_at)`);
}

/** Template schema for the package's tests and findings: the kata's table and the partitioned parent. */
export async function migrateReadingsSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await createUnpartitionedReadingsTable(client);
    await createPartitionedReadingsTable(client, PARTITIONED_READINGS_TABLE);
  } finally {
    await client.end();
  }
}
