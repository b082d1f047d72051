import type pg from 'pg';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** A scan the executor ran: the partition or table it read, and the index it read it through (if any). */
export interface ExecutedScan {
  relation: string;
  node: string;
  index: string | undefined;
}

function executed(node: PlanNode): ExecutedScan[] {
  const children = (node.Plans ?? []).flatMap(executed);
  if (node['Relation Name'] === undefined || (node['Actual Loops'] ?? 0) === 0) return children;
  // A bitmap heap scan reads the table through the bitmap index scans below it.
  const index = node['Index Name'] ?? bitmapIndexes(node);
  return [{ relation: node['Relation Name'], node: node['Node Type'], index }, ...children];
}

function bitmapIndexes(node: PlanNode): string | undefined {
  const names = (node.Plans ?? []).flatMap((child): string[] => {
    if (child['Node Type'] === 'Bitmap Index Scan') return child['Index Name'] ? [child['Index Name']] : [];
    return child['Node Type'].startsWith('Bitmap') ? (bitmapIndexes(child)?.split(' + ') ?? []) : [];
  });
  return names.length === 0 ? undefined : names.join(' + ');
}

/**
 * The scans EXPLAIN ANALYZE ran for a statement, with the index each used by name (serial plan, like
 * explainScans), so a proof can pin a query to the index meant for it.
 */
export async function executedScans(pool: pg.Pool, sql: string, values: unknown[]): Promise<ExecutedScan[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      values,
    );
    await client.query('COMMIT');
    return executed(rows[0]!['QUERY PLAN'][0].Plan);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `Index Scan using follows_following_created_idx on follows`, for the ledger. */
export function describeScans(scans: readonly ExecutedScan[]): string {
  return [
    ...new Set(
      scans.map((scan) =>
        scan.index === undefined
          ? `${scan.node} on ${scan.relation}`
          : `${scan.node} using ${scan.index} on ${scan.relation}`,
      ),
    ),
  ].join(', ');
}
