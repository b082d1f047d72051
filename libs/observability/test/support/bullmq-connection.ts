import type { ConnectionOptions } from 'bullmq';

/** BullMQ connection options for the harness's Redis; BullMQ opens and closes its own clients. */
export function bullmqConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: Number(url.pathname.slice(1) || 0),
    ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
    maxRetriesPerRequest: null,
  };
}
