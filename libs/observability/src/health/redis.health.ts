import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthCheckAttempt } from '@nestjs/terminus';
import type { Redis } from 'ioredis';

// A client in these states would queue the PING until it reconnects; answering at once says why.
const DISCONNECTED = new Set(['close', 'end', 'reconnecting']);

@Injectable()
export class RedisHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  pingCheck<const Key extends string>(key: Key, client: Redis, timeoutMs: number): HealthCheckAttempt<Key> {
    return this.indicators
      .check(key)
      .attempt(async () => {
        if (DISCONNECTED.has(client.status)) throw new Error(`connection is ${client.status}`);
        await client.ping();
      })
      .withTimeout(timeoutMs);
  }
}
