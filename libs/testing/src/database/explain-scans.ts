import type pg from 'pg';

export interface ScanSummary {
  /** Rows the scan nodes read: returned plus removed by filter or recheck, times loops. */
  rowsExamined: number;
  /** Every scan the executor ran, as `<node type> on <relation>` (`Index Scan on vital_data_p20261124`). */
  scans: string[];
  /** The tables or partitions those scans read, each once, in plan order. */
  relations: string[];
  /** Shared buffers the whole query touched (hit + read). */
  bufferPages: number;
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** Scan nodes the executor opened: a partition behind a node with zero loops was read by nobody. */
function executedScans(node: PlanNode): PlanNode[] {
  const children = (node.Plans ?? []).flatMap(executedScans);
  const executed = node['Relation Name'] !== undefined && (node['Actual Loops'] ?? 0) > 0;
  return executed ? [node, ...children] : children;
}

function scannedRows(node: PlanNode): number {
  const perLoop =
    (node['Actual Rows'] ?? 0) +
    (node['Rows Removed by Filter'] ?? 0) +
    (node['Rows Removed by Index Recheck'] ?? 0);
  return perLoop * (node['Actual Loops'] ?? 1);
}

/**
 * Runs EXPLAIN (ANALYZE, BUFFERS) on one connection with parallel workers off: a parallel plan reports
 * per-worker averages, serial execution gives exact row counts for both variants of a proof.
 */
export async function explainScans(pool: pg.Pool, sql: string, values: unknown[]): Promise<ScanSummary> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      values,
    );
    await client.query('COMMIT');
    const result = rows[0]?.['QUERY PLAN'][0];
    if (!result) throw new Error('EXPLAIN returned no plan');
    const scans = executedScans(result.Plan);
    return {
      rowsExamined: scans.reduce((sum, node) => sum + scannedRows(node), 0),
      scans: scans.map((node) => `${node['Node Type']} on ${node['Relation Name']}`),
      relations: [...new Set(scans.map((node) => node['Relation Name'] ?? ''))],
      bufferPages: (result.Plan['Shared Hit Blocks'] ?? 0) + (result.Plan['Shared Read Blocks'] ?? 0),
      executionMs: result['Execution Time'],
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
