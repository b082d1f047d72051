import { Redis, type RedisOptions } from 'ioredis';
import { redisOptionsFromUrl } from './redis-options-from-url.js';

export interface RedisClientSettings {
  url: string;
  /** Shown in CLIENT LIST as `<name>:cache`, `<name>:publisher`, … */
  name: string;
  /** Prepended to every key the cache client touches (not to pub/sub channels). */
  keyPrefix?: string;
  /** Cache commands fail after this long, connected or not; defaults to 1000 ms. */
  commandTimeoutMs?: number;
  /** Reconnect attempts a queued cache command survives before it fails; defaults to 2. */
  maxRetriesPerRequest?: number;
}

export const REDIS_CLIENT_DEFAULTS = {
  commandTimeoutMs: 1_000,
  maxRetriesPerRequest: 2,
} as const;

/**
 * One connection per use, because the uses conflict: a subscribed connection can run nothing but
 * (P)SUBSCRIBE, BullMQ needs blocking commands with unlimited retries and no key prefix, and the cache wants
 * the opposite (short timeouts, bounded queueing, a prefix).
 */
export interface RedisClients {
  /** Short command timeout; while disconnected, commands wait at most the timeout or the retry budget. */
  cache: Redis;
  /** Pub/sub publisher (connects on first use). */
  publisher: Redis;
  /** Pub/sub subscriber; resubscribes after reconnecting (connects on first use). */
  subscriber: Redis;
  /** Options for BullMQ `connection`: BullMQ opens and closes its own connections from them. */
  queueConnection: RedisOptions;
  /** Quits every client opened here. */
  close(): Promise<void>;
}

export function createRedisClients(settings: RedisClientSettings): RedisClients {
  const server = redisOptionsFromUrl(settings.url);
  const cache = new Redis({
    ...server,
    connectionName: `${settings.name}:cache`,
    keyPrefix: settings.keyPrefix ?? '',
    commandTimeout: settings.commandTimeoutMs ?? REDIS_CLIENT_DEFAULTS.commandTimeoutMs,
    maxRetriesPerRequest: settings.maxRetriesPerRequest ?? REDIS_CLIENT_DEFAULTS.maxRetriesPerRequest,
  });
  const publisher = new Redis({
    ...server,
    connectionName: `${settings.name}:publisher`,
    lazyConnect: true,
    commandTimeout: settings.commandTimeoutMs ?? REDIS_CLIENT_DEFAULTS.commandTimeoutMs,
  });
  const subscriber = new Redis({
    ...server,
    connectionName: `${settings.name}:subscriber`,
    lazyConnect: true,
  });
  const queueConnection: RedisOptions = {
    ...server,
    connectionName: `${settings.name}:queue`,
    // BullMQ workers block on BRPOPLPUSH/BZPOPMIN: a retry limit or ready check would fail them during a
    // reconnect; BullMQ namespaces keys with its own `prefix` and breaks on ioredis keyPrefix.
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
  };
  return {
    cache,
    publisher,
    subscriber,
    queueConnection,
    async close() {
      await Promise.all([cache, publisher, subscriber].map(closeClient));
    },
  };
}

async function closeClient(client: Redis): Promise<void> {
  // A lazy client that never connected would open a connection just to QUIT it; one that is reconnecting
  // has no connection to quit.
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const ended = new Promise((resolve) => client.once('end', resolve));
  // QUIT lets replies to commands already sent arrive first; if it cannot (it timed out queued behind a
  // blocking command), drop the socket instead.
  await client.quit().catch(() => client.disconnect());
  await ended;
}
