import type pg from 'pg';
import type { ArchivedRow } from '../src/index.js';

const RAW_TEXT: pg.CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
};

/** Rows as PostgreSQL's text output in UTC — the representation archives hold — for comparing with one. */
export async function readRawRows(
  pool: pg.Pool,
  sql: string,
  values: unknown[] = [],
): Promise<ArchivedRow[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    const { rows } = await client.query<Record<string, string | null>>({
      text: sql,
      values,
      types: RAW_TEXT,
    });
    await client.query('COMMIT');
    return rows;
  } finally {
    client.release();
  }
}
