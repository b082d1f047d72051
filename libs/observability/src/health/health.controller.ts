import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability-options.js';
import { PostgresHealthIndicator } from './postgres.health.js';
import { RedisHealthIndicator } from './redis.health.js';

const DEFAULT_TIMEOUT_MS = 1000;

@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    postgres: PostgresHealthIndicator,
    redis: RedisHealthIndicator,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions,
  ) {
    const { postgres: database, redis: clients = [], timeoutMs = DEFAULT_TIMEOUT_MS } = options.health ?? {};
    this.checks = [
      ...(database === undefined ? [] : [() => postgres.pingCheck('postgres', database, timeoutMs)]),
      ...clients.map(
        (client, index) => () =>
          redis.pingCheck(clients.length === 1 ? 'redis' : `redis-${index + 1}`, client, timeoutMs),
      ),
    ];
  }

  /** Readiness: 200 when every dependency answers, 503 naming the ones that do not. */
  @Get()
  @HealthCheck()
  readiness(): Promise<HealthCheckResult> {
    return this.health.check(this.checks);
  }

  /** Liveness: the process serves requests; no dependency is consulted, so a Redis outage does not restart pods. */
  @Get('live')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
