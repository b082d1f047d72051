import type pg from 'pg';

export interface ScanSummary {
  /** Rows the scan nodes read: returned plus removed by filter/recheck, times loops. */
  rowsExamined: number;
  /** Tables (or partitions) the plan actually scanned. */
  relations: string[];
  /** Shared buffers the whole query touched (hit + read). */
  bufferPages: number;
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/**
 * Runs EXPLAIN (ANALYZE, BUFFERS) on one connection with parallel workers off: a parallel plan reports
 * per-worker averages, serial execution gives exact row counts on both variants.
 */
export async function explainScans(pool: pg.Pool, sql: string, values: unknown[]): Promise<ScanSummary> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      values,
    );
    await client.query('COMMIT');
    const root = rows[0]?.['QUERY PLAN'][0].Plan;
    if (!root) throw new Error('EXPLAIN returned no plan');
    const scans = scanNodes(root);
    return {
      rowsExamined: scans.reduce((sum, node) => sum + scannedRows(node), 0),
      relations: [...new Set(scans.map((node) => node['Relation Name'] ?? ''))],
      bufferPages: (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0),
    };
  } finally {
    client.release();
  }
}

function scanNodes(node: PlanNode): PlanNode[] {
  const children = (node.Plans ?? []).flatMap(scanNodes);
  return node['Relation Name'] === undefined ? children : [node, ...children];
}

function scannedRows(node: PlanNode): number {
  const perLoop =
    (node['Actual Rows'] ?? 0) +
    (node['Rows Removed by Filter'] ?? 0) +
    (node['Rows Removed by Index Recheck'] ?? 0);
  return perLoop * (node['Actual Loops'] ?? 1);
}
