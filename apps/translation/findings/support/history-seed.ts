import { PartitionMaintainer } from '@remedy/partitioning';
import type pg from 'pg';
import { historyPartitionPolicy } from '../../src/history/history.policy.js';

const DAY_MS = 86_400_000;

/**
 * Gives translation_history a daily partition for each of the last `days` days, as a service that has been
 * running that long would have: the maintainer premakes a week at a time, so its clock is stepped back and
 * forward a week at a time.
 */
export async function makeHistoryPartitions(pool: pg.Pool, days: number, now = new Date()): Promise<void> {
  const policy = historyPartitionPolicy();
  for (let back = days; back > 0; back -= policy.premake) {
    const then = new Date(now.getTime() - back * DAY_MS);
    await new PartitionMaintainer(pool, { now: () => then }).ensurePartitions(policy);
  }
}

export interface HistorySeed {
  organisationId: string;
  sessionId: string;
  /** Days back from now that get rows, from `fromDay` (default 0: the last 24 hours) on. */
  days: number;
  fromDay?: number;
  perDay: number;
}

/**
 * One statement of generate_series: `perDay` translations for each of `days` days, a second apart, ending now.
 * Texts are a realistic chat line long, so a page of them spans heap pages the way real history does.
 */
export async function seedHistory(pool: pg.Pool, seed: HistorySeed): Promise<number> {
  const { rowCount } = await pool.query(
    `INSERT INTO translation_history
       (organisation_id, session_id, source_language, target_language, source_text, translated_text, engine,
        translated_at)
     SELECT $1, $2, 'ja', 'en', 'line ' || d || '-' || i || ' of the keynote, as spoken by the presenter',
            'line ' || d || '-' || i || ' of the keynote, as translated for the audience', 'google-v3',
            now() - make_interval(days => d) - make_interval(secs => i)
       FROM generate_series($5::int, $5::int + $3::int - 1) AS d, generate_series(1, $4::int) AS i`,
    [seed.organisationId, seed.sessionId, seed.days, seed.perDay, seed.fromDay ?? 0],
  );
  await pool.query('ANALYZE translation_history');
  return rowCount ?? 0;
}
