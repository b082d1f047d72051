import type pg from 'pg';

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
