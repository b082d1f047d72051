import type pg from 'pg';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

export interface ScanSummary {
  /** Rows the scans produced or threw away: what the query had to read. */
  rowsExamined: number;
  relations: string[];
}

/** Runs EXPLAIN (ANALYZE) and sums what every table scan read. Parallel workers are turned off for exact counts. */
export async function explainScans(pool: pg.Pool, sql: string, parameters: unknown[]): Promise<ScanSummary> {
  const client = await pool.connect();
  try {
    await client.query('SET max_parallel_workers_per_gather = 0');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      parameters,
    );
    const summary: ScanSummary = { rowsExamined: 0, relations: [] };
    const visit = (node: PlanNode): void => {
      if (node['Relation Name'] !== undefined) {
        const loops = node['Actual Loops'] ?? 1;
        summary.rowsExamined += ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * loops;
        summary.relations.push(node['Relation Name']);
      }
      for (const child of node.Plans ?? []) visit(child);
    };
    visit(rows[0]!['QUERY PLAN'][0].Plan);
    return summary;
  } finally {
    client.release();
  }
}
