import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthCheckAttempt } from '@nestjs/terminus';

/** What both a `pg.Pool` and a TypeORM `DataSource` offer. */
export interface SqlQueryable {
  query(sql: string): Promise<unknown>;
}

@Injectable()
export class PostgresHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  /**
   * `SELECT 1` through the application's own pool, so the check also fails when the pool is exhausted,
   * not only when the server is down. The timeout bounds the answer, not the queued statement.
   */
  pingCheck<const Key extends string>(
    key: Key,
    target: SqlQueryable,
    timeoutMs: number,
  ): HealthCheckAttempt<Key> {
    return this.indicators
      .check(key)
      .attempt(async () => {
        await target.query('SELECT 1');
      })
      .withTimeout(timeoutMs);
  }
}
