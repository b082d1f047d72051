import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { queryEvents, type QueryEvent } from '@remedy/pooling';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability-options.js';
import { LOGGER, METRICS_REGISTRY } from '../observability.tokens.js';
import { normaliseSql, statementKind } from './sql-text.js';

const DEFAULT_SLOW_QUERY_MS = 500;

/**
 * Turns the statements reported by `@remedy/pooling` into a duration histogram and an error counter
 * labelled by pool and statement kind (never by SQL text, which would be unbounded), and logs slow ones.
 */
@Injectable()
export class DbQueryMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly duration: Histogram<'pool' | 'kind'>;
  private readonly errors: Counter<'pool' | 'kind'>;
  private readonly slowQueryMs: number;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions,
  ) {
    this.slowQueryMs = options.slowQueryMs ?? DEFAULT_SLOW_QUERY_MS;
    this.duration = new Histogram({
      name: 'db_query_duration_seconds',
      help: 'SQL statement duration by pool and statement kind',
      labelNames: ['pool', 'kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'db_query_errors_total',
      help: 'SQL statements that failed, by pool and statement kind',
      labelNames: ['pool', 'kind'],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.unsubscribe = queryEvents.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  // Runs synchronously in the caller's async context (pooling's contract), so the slow-query line
  // carries the request ID of the request that issued the statement.
  private record(event: QueryEvent): void {
    const labels = { pool: event.pool, kind: statementKind(event.sql) };
    this.duration.observe(labels, event.durationMs / 1000);
    if (event.failed) this.errors.inc(labels);
    if (event.durationMs > this.slowQueryMs) {
      this.logger.warn(
        { pool: event.pool, kind: labels.kind, durationMs: event.durationMs, sql: normaliseSql(event.sql) },
        'slow query',
      );
    }
  }
}
