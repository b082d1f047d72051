import type pg from 'pg';
import { qualifiedIdentifier, quoteIdentifier } from '../catalog/sql-identifier.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

export interface DefaultPartitionReport {
  partition: string;
  /** Should be 0. Rows here fell outside every premade range: premake is behind, or clocks send future times. */
  rows: number;
  oldest: Date | null;
  newest: Date | null;
}

export async function inspectDefaultPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  partition: string,
): Promise<DefaultPartitionReport> {
  const column = quoteIdentifier(policy.column);
  const { rows } = await client.query<{ rows: string; oldest: Date | null; newest: Date | null }>(
    `SELECT count(*) AS rows, min(${column}) AS oldest, max(${column}) AS newest FROM ${qualifiedIdentifier(policy.schema, partition)}`,
  );
  const found = rows[0];
  return {
    partition,
    rows: Number(found?.rows ?? 0),
    oldest: found?.oldest ?? null,
    newest: found?.newest ?? null,
  };
}
