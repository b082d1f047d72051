import type pg from 'pg';

/**
 * The reviewed design (medical-device review §5: "no retention policy", "no archival strategy", "stores all
 * historical vital data in the same PostgreSQL table indefinitely"; events review S-5 for registrations):
 * every reading goes into one plain table and nothing ever removes a row. The review also notes "no index
 * strategy defined", so the time column has no index. There is no retention step to call: that absence is
 * the flaw.
 */
export const UNPARTITIONED_READINGS_TABLE = 'vital_readings_unpartitioned';

export async function createUnpartitionedReadingsTable(client: pg.ClientBase): Promise<void> {
  await client.query(`
    CREATE TABLE ${UNPARTITIONED_READINGS_TABLE} (
      data_id     bigserial PRIMARY KEY,
      device_id   integer NOT NULL,
      patient_id  integer NOT NULL,
      recorded_at timestamptz NOT NULL,
      heart_rate  smallint,
      spo2        smallint,
      temperature numeric(4, 1),
      note        text
    )`);
}
