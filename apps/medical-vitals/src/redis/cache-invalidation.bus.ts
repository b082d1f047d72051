import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { RedisKeys } from './redis-keys.js';
import { REDIS_CLIENTS } from './redis.tokens.js';

export type InvalidationKind = 'rules' | 'device';

interface InvalidationMessage {
  kind: InvalidationKind;
  id: string;
}

type Listener = (id: string) => void;

/**
 * Cross-instance cache invalidation over Redis pub/sub. The publishing instance applies the change to its
 * own listeners synchronously, so it never serves its own stale entry; the others drop theirs on delivery.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CacheInvalidationBus.name);
  private readonly listeners = new Map<InvalidationKind, Set<Listener>>();
  private readonly onMessage = (channel: string, raw: string): void => {
    if (channel !== this.keys.invalidationChannel) return;
    try {
      const message = JSON.parse(raw) as InvalidationMessage;
      this.deliver(message);
    } catch (error) {
      this.logger.warn(`ignored a malformed invalidation message: ${String(error)}`);
    }
  };

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
  ) {}

  async onModuleInit(): Promise<void> {
    this.redis.subscriber.on('message', this.onMessage);
    await this.redis.subscriber.subscribe(this.keys.invalidationChannel);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.subscriber.off('message', this.onMessage);
    if (this.redis.subscriber.status === 'ready') {
      await this.redis.subscriber.unsubscribe(this.keys.invalidationChannel);
    }
  }

  on(kind: InvalidationKind, listener: Listener): void {
    const set = this.listeners.get(kind) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(kind, set);
  }

  async publish(kind: InvalidationKind, id: string): Promise<void> {
    const message = { kind, id };
    this.deliver(message);
    await this.redis.publisher.publish(this.keys.invalidationChannel, JSON.stringify(message));
  }

  private deliver(message: InvalidationMessage): void {
    for (const listener of this.listeners.get(message.kind) ?? []) listener(message.id);
  }
}
