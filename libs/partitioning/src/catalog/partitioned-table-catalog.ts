import type pg from 'pg';
import { parsePartitionStart } from '../policy/partition-naming.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';
import { qualifiedIdentifier } from './sql-identifier.js';

export interface ManagedTable {
  name: string;
  start: Date;
}

export interface AttachedPartition extends ManagedTable {
  /** Left by an interrupted DETACH … CONCURRENTLY: finish it with DETACH … FINALIZE. */
  detachPending: boolean;
}

export interface PartitionCatalog {
  /** Partitions whose names this library gives (`<table>_pYYYYMMDD`), oldest first. */
  attached: AttachedPartition[];
  defaultPartition: string | undefined;
  /** Stand-alone tables with a managed name: partitions detached by a run that stopped before dropping them. */
  detached: ManagedTable[];
}

const TIME_COLUMN_TYPES = ['timestamp with time zone', 'timestamp without time zone', 'date'];

/** Fails with a message naming what is wrong when the table is not range-partitioned on the policy's column. */
export async function assertRangePartitioned(client: pg.ClientBase, policy: PartitionPolicy): Promise<void> {
  const { rows } = await client.query<{
    relkind: string;
    partstrat: string | null;
    partnatts: number | null;
    attname: string | null;
    column_type: string | null;
  }>(
    `SELECT c.relkind, p.partstrat, p.partnatts, a.attname, format_type(a.atttypid, a.atttypmod) AS column_type
       FROM pg_class c
       LEFT JOIN pg_partitioned_table p ON p.partrelid = c.oid
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
      WHERE c.oid = to_regclass($1)`,
    [parentIdentifier(policy)],
  );
  const table = rows[0];
  const expected = `PARTITION BY RANGE (${policy.column})`;
  if (!table)
    throw new Error(`Partitioned table ${policy.qualifiedName} does not exist: create it ${expected} first`);
  if (table.relkind !== 'p')
    throw new Error(`${policy.qualifiedName} is a plain table: it must be created ${expected}`);
  if (table.partstrat !== 'r' || table.partnatts !== 1 || table.attname !== policy.column) {
    throw new Error(`${policy.qualifiedName} must be partitioned ${expected}, on that one column`);
  }
  if (!TIME_COLUMN_TYPES.includes(table.column_type ?? '')) {
    throw new Error(
      `${policy.qualifiedName}.${policy.column} is ${table.column_type}; time partitions need one of ${TIME_COLUMN_TYPES.join(', ')}`,
    );
  }
}

export async function readPartitionCatalog(
  client: pg.ClientBase,
  policy: PartitionPolicy,
): Promise<PartitionCatalog> {
  const [children, standalone] = await Promise.all([
    client.query<{ name: string; detach_pending: boolean; is_default: boolean }>(
      `SELECT c.relname AS name, i.inhdetachpending AS detach_pending, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass($1)`,
      [parentIdentifier(policy)],
    ),
    client.query<{ name: string }>(
      `SELECT c.relname AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' AND NOT c.relispartition AND starts_with(c.relname, $2)`,
      [policy.schema, `${policy.table}_p`],
    ),
  ]);
  const attached = children.rows.flatMap((row) => {
    const start = parsePartitionStart(policy.table, row.name, policy.interval);
    return start ? [{ name: row.name, start, detachPending: row.detach_pending }] : [];
  });
  const detached = standalone.rows.flatMap((row) => {
    const start = parsePartitionStart(policy.table, row.name, policy.interval);
    return start ? [{ name: row.name, start }] : [];
  });
  return {
    attached: attached.sort(byStart),
    defaultPartition: children.rows.find((row) => row.is_default)?.name,
    detached: detached.sort(byStart),
  };
}

export function parentIdentifier(policy: PartitionPolicy): string {
  return qualifiedIdentifier(policy.schema, policy.table);
}

function byStart(a: ManagedTable, b: ManagedTable): number {
  return a.start.getTime() - b.start.getTime();
}
