import type pg from 'pg';

export interface PlanSummary {
  /** Rows the scans produced plus rows they read and threw away. */
  rowsRead: number;
  /** `Seq Scan on kata_v02_vital_data`, `Index Scan on vital_data_p20261124`, … */
  scans: string[];
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, summary: PlanSummary): void {
  // Partitions the executor never opened (loops 0) were read by nobody.
  if (node['Relation Name'] !== undefined && (node['Actual Loops'] ?? 0) > 0) {
    const loops = node['Actual Loops'] ?? 1;
    summary.rowsRead +=
      ((node['Actual Rows'] ?? 0) +
        (node['Rows Removed by Filter'] ?? 0) +
        (node['Rows Removed by Index Recheck'] ?? 0)) *
      loops;
    summary.scans.push(`${node['Node Type']} on ${node['Relation Name']}`);
  }
  for (const child of node.Plans ?? []) walk(child, summary);
}

/** EXPLAIN ANALYZE without parallel workers, so row counts are exact rather than per-worker averages. */
export async function explainAnalyze(
  pool: pg.Pool,
  sql: string,
  parameters: unknown[],
): Promise<PlanSummary> {
  const client = await pool.connect();
  try {
    await client.query('SET max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      parameters,
    );
    const [result] = rows[0]!['QUERY PLAN'];
    const summary: PlanSummary = { rowsRead: 0, scans: [], executionMs: result['Execution Time'] };
    walk(result.Plan, summary);
    return summary;
  } finally {
    await client.query('RESET max_parallel_workers_per_gather');
    client.release();
  }
}

/** Median wall time of `runs` executions of the query, in ms. */
export async function medianQueryMs(
  pool: pg.Pool,
  sql: string,
  parameters: unknown[],
  runs = 15,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await pool.query(sql, parameters);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
