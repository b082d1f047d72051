import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { Metric, Registry } from 'prom-client';
import { SEARCH_INDEX_LAG_BUCKETS, SearchIndexLag } from './search-index-lag.js';

const NAME = 'documents_search_index_lag_seconds';

/**
 * `documents_search_index_lag_seconds` on the API's /metrics: the indexer's histogram read from Redis at each
 * scrape. prom-client's Histogram only counts observations made in this process, so this is a collector of the
 * same shape (buckets, sum, count). Every API instance reports the same shared counts: alert rules and
 * dashboards take `max without (instance, pod)`, never a sum.
 */
@Injectable()
export class SearchIndexLagMetric {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(SearchIndexLag) lag: SearchIndexLag) {
    const collector = {
      name: NAME,
      help: "Seconds from a document change's commit to its row in the search index (every indexer worker)",
      type: 'histogram',
      aggregator: 'max',
      reset: () => undefined,
      get: async () => {
        const { cumulative, count, sum } = await lag.read();
        const bounds = [...SEARCH_INDEX_LAG_BUCKETS.map(String), '+Inf'];
        return {
          name: NAME,
          help: collector.help,
          type: 'histogram',
          aggregator: 'max',
          values: [
            ...bounds.map((le, index) => ({
              metricName: `${NAME}_bucket`,
              labels: { le },
              value: cumulative[index]!,
            })),
            { metricName: `${NAME}_sum`, labels: {}, value: sum },
            { metricName: `${NAME}_count`, labels: {}, value: count },
          ],
        };
      },
    };
    // The registry takes any object that answers get() and reset() (its typings name only prom-client's classes
    // and an enum for `type`, where the exposition reads the string).
    registry.registerMetric(collector as unknown as Metric);
  }
}
