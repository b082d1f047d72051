import type { ConnectionOptions } from 'bullmq';

/**
 * Connection options rather than a client: BullMQ then opens and closes its own connections with the
 * queue or worker. `maxRetriesPerRequest: null` is what BullMQ workers require for blocking commands.
 */
export function bullMqConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
