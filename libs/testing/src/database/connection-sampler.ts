import pg from 'pg';

/**
 * Samples how many client connections an application holds on a server, by application_name, as fast as
 * one dedicated monitoring connection allows, until stopped; reports the peak.
 */
export async function sampleConnections(
  connectionString: string,
  applicationName: string,
): Promise<{ stop(): Promise<number> }> {
  const monitor = new pg.Client({ connectionString, application_name: 'remedy-connection-sampler' });
  await monitor.connect();
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await monitor.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND application_name = $1 AND datname = current_database()`,
        [applicationName],
      );
      peak = Math.max(peak, rows[0]?.n ?? 0);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await monitor.end();
      return peak;
    },
  };
}
