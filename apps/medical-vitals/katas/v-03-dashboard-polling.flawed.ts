import type pg from 'pg';

/** The reviewed design's refresh: every open dashboard asks again every 5 s (vitals review §2). */
export const POLL_INTERVAL_MS = 5_000;

/**
 * A dashboard of the reviewed design: a timer that re-reads its ward's latest vitals from the database
 * every POLL_INTERVAL_MS whether anything changed or not ("With … 50 concurrent dashboard users, this
 * creates 10 queries/second just for polling"). Each poll is one uncached query on the primary.
 */
export class PollingDashboard {
  polls = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly patientIds: string[],
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {}

  /** Polls `times` times, `intervalMs` apart, and resolves after the last one. */
  run(times: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const tick = (): void => {
        this.poll()
          .then(() => {
            if (this.polls >= times) return resolve();
            this.timer = setTimeout(tick, this.intervalMs);
          })
          .catch(reject);
      };
      tick();
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    this.polls += 1;
    await this.pool.query(
      `SELECT DISTINCT ON (patient_id) patient_id, recorded_at, heart_rate, spo2, systolic, diastolic, temperature
         FROM vital_data WHERE patient_id = ANY($1::uuid[]) ORDER BY patient_id, recorded_at DESC`,
      [this.patientIds],
    );
  }
}
