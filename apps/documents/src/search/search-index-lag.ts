import { Inject, Injectable } from '@nestjs/common';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Redis } from 'ioredis';

/**
 * Upper bounds (seconds) of the index-lag histogram: fine around the goal (p95 ≤ 1 s) and the review's ask
 * (< 5 s), coarse past them, up to a worker crash's retry (SEARCH_JOB_LOCK_MS, 30 s) and beyond.
 */
export const SEARCH_INDEX_LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30, 60, 300] as const;

/** The histogram as stored: changes per bucket (cumulative, one per bound, then +Inf), their count and sum. */
export interface SearchIndexLagCounts {
  cumulative: number[];
  count: number;
  sum: number;
}

/** One Redis hash for every worker: a field per bucket bound ('+Inf' past the last) and the sum of lags. */
const KEY = 'search-index-lag';
const SUM = 'sum';
const OVERFLOW = '+Inf';

/**
 * The search index's lag, measured by the indexer and exported by the API (polyglot-b:M-3): the time from a
 * document change's commit to its row in `document_search`, both ends read from the database's clock (the upsert
 * returns `indexed_at - source_changed_at`). Workers are not scraped (they serve no HTTP), so each one adds its
 * observations to one histogram kept on the queue Redis (noeviction: counters must not vanish) and the API's
 * /metrics reads it at scrape time.
 */
@Injectable()
export class SearchIndexLag {
  constructor(@Inject(QUEUE_REDIS) private readonly redis: Redis) {}

  async observe(seconds: number): Promise<void> {
    const bound = SEARCH_INDEX_LAG_BUCKETS.find((upper) => seconds <= upper);
    await this.redis
      .multi()
      .hincrby(KEY, bound === undefined ? OVERFLOW : String(bound), 1)
      .hincrbyfloat(KEY, SUM, seconds)
      .exec();
  }

  async read(): Promise<SearchIndexLagCounts> {
    const fields = await this.redis.hgetall(KEY);
    const cumulative: number[] = [];
    let count = 0;
    for (const field of [...SEARCH_INDEX_LAG_BUCKETS.map(String), OVERFLOW]) {
      count += Number(fields[field] ?? 0);
      cumulative.push(count);
    }
    return { cumulative, count, sum: Number(fields[SUM] ?? 0) };
  }
}
