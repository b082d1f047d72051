import { randomUUID } from 'node:crypto';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { ProviderPlug } from '@remedy/testing';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import {
  CHAT_CONNECTION_REGISTRY,
  RedisConnectionRegistry,
  type ConnectionRegistry,
} from '../src/chat/connection-registry.js';

/*
 * polyglot-a:S-2 / polyglot-b:S-4 — "WebSocket connections are held in a single process": who is connected is a
 * Map in the instance's memory. Plugged in as the /chat connection registry: an instance knows only its own
 * sockets, so a notice for a user whose socket another instance holds finds nobody and is not sent.
 */
export class InProcessConnectionRegistry implements ConnectionRegistry {
  readonly instanceId = randomUUID();
  private readonly sockets = new Map<string, number>();

  added(userId: string): Promise<void> {
    this.sockets.set(userId, (this.sockets.get(userId) ?? 0) + 1);
    return Promise.resolve();
  }

  removed(userId: string): Promise<void> {
    const left = (this.sockets.get(userId) ?? 0) - 1;
    if (left > 0) this.sockets.set(userId, left);
    else this.sockets.delete(userId);
    return Promise.resolve();
  }

  instancesOf(userId: string): Promise<string[]> {
    return Promise.resolve(this.sockets.has(userId) ? [this.instanceId] : []);
  }

  heartbeat(): Promise<void> {
    return Promise.resolve();
  }

  removeInstance(): Promise<void> {
    this.sockets.clear();
    return Promise.resolve();
  }
}

/*
 * Close cousin: the registry in Redis, but a draining instance leaves its entries behind (neither a closed socket
 * nor the drain removes anything; they would expire only with the TTL). Until then the drained instance is still
 * where the user "is": presence counts it, and notices are published to a channel nobody reads.
 */
export class EntriesKeptOnDrainRegistry extends RedisConnectionRegistry {
  override async removed(): Promise<void> {}

  override async removeInstance(): Promise<void> {}
}

export const inProcessRegistryPlug: ProviderPlug = {
  provide: CHAT_CONNECTION_REGISTRY,
  useFactory: () => new InProcessConnectionRegistry(),
};

export const entriesKeptOnDrainPlug: ProviderPlug = {
  provide: CHAT_CONNECTION_REGISTRY,
  inject: [APP_CONFIG, REDIS_CLIENTS],
  useFactory: (config: AppConfig, redis: RedisClients) =>
    new EntriesKeptOnDrainRegistry({
      redis: redis.queueState,
      instanceId: randomUUID(),
      ttlSeconds: config.chat.registryTtlSeconds,
    }),
};
