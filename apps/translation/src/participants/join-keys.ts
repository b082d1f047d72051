import { Inject, Injectable } from '@nestjs/common';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';

/**
 * The join idempotency keys clients send (polyglot-a:M-2), remembered for JOIN_IDEMPOTENCY_TTL_SECONDS on the
 * queue Redis, which never evicts: a key forgotten under memory pressure would let a late duplicate of an old
 * join switch the participant back to its old language.
 */
@Injectable()
export class JoinKeys {
  private readonly ttlSeconds: number;

  constructor(
    @Inject(QUEUE_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.joins.idempotencyKeyTtlSeconds;
  }

  /** True the first time this user sends `key` for this session within the TTL. */
  async firstUse(sessionId: string, userId: string, key: string): Promise<boolean> {
    const stored = await this.redis.set(joinKey(sessionId, userId, key), '1', 'EX', this.ttlSeconds, 'NX');
    return stored === 'OK';
  }
}

function joinKey(sessionId: string, userId: string, key: string): string {
  return `join-key:{${sessionId}}:${userId}:${key}`;
}
