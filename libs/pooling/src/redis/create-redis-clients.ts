import { Redis, type RedisOptions } from 'ioredis';
import { redisOptionsFromUrl } from './redis-options-from-url.js';

export interface RedisClientSettings {
  url: string;
  /**
   * The Redis for queues and for state that must outlive any eviction (`noeviction`), where it is another
   * instance than `url` (a cache that may run allkeys-lru). Defaults to `url`.
   */
  queueUrl?: string;
  /** Shown in CLIENT LIST as `<name>:cache`, `<name>:publisher`, … */
  name: string;
  /** Prepended to every key the cache client touches (not to pub/sub channels). */
  keyPrefix?: string;
  /** Cache commands fail after this long, connected or not; defaults to 1000 ms. */
  commandTimeoutMs?: number;
  /** Reconnect attempts a queued cache command survives before it fails; defaults to 2. */
  maxRetriesPerRequest?: number;
  /**
   * Hears each client's connection errors. ioredis reconnects by itself; a client with no 'error' listener
   * reports every failed attempt as an unhandled error event.
   */
  onError?: (use: RedisClientUse, error: Error) => void;
}

export type RedisClientUse = 'cache' | 'publisher' | 'subscriber' | 'queue state';

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
  /**
   * Commands on the queue Redis, for state that an evicting cache could lose (a "mail sent" mark, a login
   * lockout). Keys carry `keyPrefix`, apart from BullMQ's own `prefix` keys (connects on first use).
   */
  queueState: Redis;
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
  const queueUrl = settings.queueUrl ?? settings.url;
  const queueState = new Redis({
    ...redisOptionsFromUrl(queueUrl),
    connectionName: `${settings.name}:queue-state`,
    keyPrefix: settings.keyPrefix ?? '',
    lazyConnect: true,
  });
  const { onError } = settings;
  if (onError) {
    const uses = { cache, publisher, subscriber, 'queue state': queueState } as const;
    for (const [use, client] of Object.entries(uses)) {
      client.on('error', (error: Error) => onError(use as RedisClientUse, error));
    }
  }
  return {
    cache,
    publisher,
    subscriber,
    queueState,
    queueConnection: queueConnectionOptions(queueUrl, settings.name),
    async close() {
      await Promise.all([cache, publisher, subscriber, queueState].map(closeClient));
    },
  };
}

/** BullMQ `connection` options for the queue Redis at `url`, named `<name>:queue` in CLIENT LIST. */
export function queueConnectionOptions(url: string, name: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    connectionName: `${name}:queue`,
    // BullMQ workers block on BRPOPLPUSH/BZPOPMIN: a retry limit or ready check would fail them during a
    // reconnect; BullMQ namespaces keys with its own `prefix` and breaks on ioredis keyPrefix.
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
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
