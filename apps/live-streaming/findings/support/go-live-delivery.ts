import { RedisRoomPublisher } from '@remedy/realtime';
import { waitForQueuesIdle, waitUntil } from '@remedy/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { chatChannelPrefix, userRoom } from '../../src/chat/chat-hub.js';
import type { AppConfig } from '../../src/config.js';
import type { ChatTestClient } from './chat-test-client.js';
import { GO_LIVE_FANOUT_QUEUE, NOTIFY_FOLLOWERS_QUEUE } from '../../src/notifications/notification-queues.js';

/** What the notices of one go-live came to once delivery finished. */
export interface GoLiveDelivery {
  /** Followers with exactly one notice row for the stream. */
  notifiedOnce: number;
  /** Followers with no notice row. */
  missing: number;
  /** Notice rows beyond the first per follower (0 while the unique key holds). */
  duplicateRows: number;
  /** Batch jobs the worker ran, and how many of them needed more than one attempt. */
  batchJobs: number;
  retriedBatches: number;
}

/**
 * Waits until every follower's notice is stored and marked pushed and the notification queues are idle (a
 * retried batch sits in 'delayed' until its backoff ends), then reads what was stored and what the batch
 * queue ran. A hard timeout fails with the queues' counts.
 */
export async function awaitGoLiveDelivery(
  pool: pg.Pool,
  config: AppConfig,
  streamId: string,
  followers: readonly string[],
  timeoutMs: number,
): Promise<GoLiveDelivery> {
  const connection = { url: config.redis.queueUrl };
  const prefix = config.redis.queuePrefix;
  const fanout = new Queue(GO_LIVE_FANOUT_QUEUE, { connection, prefix });
  const batches = new Queue(NOTIFY_FOLLOWERS_QUEUE, { connection, prefix });
  try {
    await waitUntil(
      `${followers.length} notices stored and pushed`,
      async () => {
        const { rows } = await pool.query<{ pushed: number }>(
          `SELECT count(*)::int AS pushed FROM notifications WHERE stream_id = $1 AND pushed_at IS NOT NULL`,
          [streamId],
        );
        return (rows[0]?.pushed ?? 0) >= followers.length;
      },
      timeoutMs,
    );
    await waitForQueuesIdle([fanout, batches], { timeoutMs });
    const { rows } = await pool.query<{ once: number; missing: number; extra: number }>(
      `SELECT count(*) FILTER (WHERE c = 1)::int AS once, count(*) FILTER (WHERE c = 0)::int AS missing,
              coalesce(sum(greatest(c - 1, 0)), 0)::int AS extra
         FROM (SELECT f, (SELECT count(*) FROM notifications n WHERE n.user_id = f AND n.stream_id = $2) AS c
                 FROM unnest($1::uuid[]) AS f) per_follower`,
      [followers, streamId],
    );
    const completed = await batches.getJobs(['completed', 'failed'], 0, -1);
    return {
      notifiedOnce: rows[0]?.once ?? 0,
      missing: rows[0]?.missing ?? 0,
      duplicateRows: rows[0]?.extra ?? 0,
      batchJobs: completed.length,
      retriedBatches: completed.filter((job) => job.attemptsMade > 1).length,
    };
  } finally {
    await Promise.all([fanout.close(), batches.close()]);
  }
}

/** Resolves once every user's room has a subscriber on some instance: their sockets can get notices. */
export async function awaitUserRoomsSubscribed(
  redis: Redis,
  config: AppConfig,
  userIds: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const channels = userIds.map((id) => `${chatChannelPrefix(config)}${userRoom(id)}`);
  let subscribed = 0;
  try {
    await waitUntil(
      `${userIds.length} user rooms subscribed`,
      async () => {
        subscribed = 0;
        for (let start = 0; start < channels.length; start += 1_000) {
          const counts = (await redis.call(
            'PUBSUB',
            'NUMSUB',
            ...channels.slice(start, start + 1_000),
          )) as Array<string | number>;
          for (let index = 1; index < counts.length; index += 2)
            if (Number(counts[index]) > 0) subscribed += 1;
        }
        return subscribed === channels.length;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${subscribed} of ${channels.length} had a subscriber`);
  }
}

/**
 * Publishes a marker to each user's room and resolves once each of their sockets (`sockets[i]` is `userIds[i]`'s)
 * received it. A room's messages reach a socket in the order Redis ran their publishes, so once a socket has its
 * marker, every frame published to its room before has arrived.
 */
export async function awaitRoomMarkers(
  redis: Redis,
  config: AppConfig,
  userIds: readonly string[],
  sockets: readonly ChatTestClient[],
): Promise<void> {
  const publisher = new RedisRoomPublisher(redis, chatChannelPrefix(config));
  const marker = { type: 'test-marker' };
  for (const id of userIds) await publisher.publish(userRoom(id), { payload: JSON.stringify(marker) });
  await Promise.all(sockets.map((socket) => socket.until('its marker', () => socket.has(marker.type))));
}
