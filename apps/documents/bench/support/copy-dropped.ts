import { Redis } from 'ioredis';

/**
 * Resolves once no API instance holds a copy of the document: each instance subscribes to the document's
 * channel while it holds one and unsubscribes when its last socket leaves, so no subscriber means no copy.
 * Polled: the drop follows the socket's close on the server's own schedule.
 */
export async function copyDropped(redisUrl: string, keyPrefix: string, documentId: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    const channel = `${keyPrefix}collab:${documentId}`;
    for (;;) {
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(subscribers) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    redis.disconnect();
  }
}
