import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { QUEUE_CONNECTION, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import type { GoLiveAnnouncer } from '../src/notifications/go-live-announcer.js';
import type { GoLiveNotice } from '../src/notifications/go-live-notice.js';
import { FIRST_FOLLOWER_PAGE_SQL, NEXT_FOLLOWER_PAGE_SQL } from '../src/notifications/follower-batch.sql.js';
import {
  NOTIFY_FOLLOWERS_QUEUE,
  notificationJobOptions,
  type FollowerBatch,
} from '../src/notifications/notification-queues.js';
import { createPushProvider, type PushProvider } from '../src/notifications/push/push-provider.js';
import { UserNoticePublisher } from '../src/notifications/user-notice.publisher.js';

/*
 * livestream:C1 — the design's go-live: "Notification Serviceがフォロワー全員に通知を送信" (the notification
 * service sends a notice to every follower), inside the start flow. As the review reads it: "1. Query to
 * fetch all follower IDs for a given streamer 2. N individual queries or API calls to send notifications to
 * each follower". With 10,000 followers the start request runs 10,000 INSERTs and 10,000 provider calls
 * before it answers.
 *
 * InlineFollowerNotifications takes GoLiveAnnouncer's place (called inside the go-live transaction): the same
 * route, the same notices, frames and pushes, sent one follower at a time. A failed push is logged and the
 * loop goes on, as a loop over thousands must; that follower's phone never hears of the stream.
 */
@Injectable()
export class InlineFollowerNotifications implements Pick<GoLiveAnnouncer, 'announce'> {
  protected readonly logger = new Logger('InlineFollowerNotifications');
  protected readonly mobile: PushProvider;
  protected readonly sockets: UserNoticePublisher;

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
  ) {
    this.mobile = createPushProvider(config.push);
    this.sockets = new UserNoticePublisher(config, redis);
  }

  async announce(transaction: EntityManager, notice: GoLiveNotice): Promise<void> {
    const followers = await transaction.query<Array<{ follower_id: string }>>(
      'SELECT follower_id FROM follows WHERE following_id = $1',
      [notice.streamerId],
    );
    for (const { follower_id: followerId } of followers) {
      const [row] = await transaction.query<Array<{ id: string; created_at: Date }>>(
        `INSERT INTO notifications (user_id, stream_id, pushed_at) VALUES ($1, $2, now()) RETURNING id, created_at`,
        [followerId, notice.streamId],
      );
      await this.pushTo([followerId], notice, [row!]);
    }
  }

  /** One provider call and one socket publish for these followers; a failed call is logged, not retried. */
  protected async pushTo(
    userIds: string[],
    notice: GoLiveNotice,
    rows: Array<{ id: string; created_at: Date }>,
  ): Promise<void> {
    const heading = `${notice.title} is live`;
    await this.mobile
      .send(
        { userIds, heading, content: notice.title, data: { streamId: notice.streamId } },
        `go-live-${notice.streamId}-${userIds[0]}`,
      )
      .catch((error: unknown) =>
        this.logger.warn(`push to ${userIds.length} followers failed: ${String(error)}`),
      );
    await this.sockets.push(
      userIds.map((userId, index) => ({
        userId,
        frame: {
          type: 'notification' as const,
          id: rows[index]!.id,
          kind: 'stream-started' as const,
          streamId: notice.streamId,
          streamerId: notice.streamerId,
          streamerName: '',
          title: notice.title,
          createdAt: rows[index]!.created_at.toISOString(),
        },
      })),
    );
  }
}

/*
 * Put back (batched but inline): the notices in one INSERT … SELECT over every follower and one provider call
 * per batch (NOTIFY_BATCH_SIZE, the remedy's own batch size), still inside the start request. Fewer round trips, but the request still waits for all of them.
 */
@Injectable()
export class BatchedInlineNotifications extends InlineFollowerNotifications {
  override async announce(transaction: EntityManager, notice: GoLiveNotice): Promise<void> {
    const rows = await transaction.query<Array<{ id: string; user_id: string; created_at: Date }>>(
      `INSERT INTO notifications (user_id, stream_id, pushed_at)
       SELECT follower_id, $2, now() FROM follows WHERE following_id = $1
       RETURNING id, user_id, created_at`,
      [notice.streamerId, notice.streamId],
    );
    const size = this.config.notifications.batchSize;
    for (let start = 0; start < rows.length; start += size) {
      const batch = rows.slice(start, start + size);
      await this.pushTo(
        batch.map((row) => row.user_id),
        notice,
        batch,
      );
    }
  }
}

/*
 * Put back (fan-out in the request): the batches are queued, but the start request pages the followers
 * itself (one keyset page per 1,000) to enqueue them, so its work still grows with the follower count. It
 * queues the batches before its transaction commits, which is how a rolled-back go-live would notify anyway.
 */
@Injectable()
export class FanoutInRequest implements Pick<GoLiveAnnouncer, 'announce'>, OnModuleDestroy {
  private readonly batches: Queue<FollowerBatch>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) connection: ConnectionOptions,
  ) {
    this.batches = new Queue<FollowerBatch>(NOTIFY_FOLLOWERS_QUEUE, {
      connection,
      prefix: config.redis.queuePrefix,
      defaultJobOptions: notificationJobOptions(config.notifications),
    });
  }

  async announce(transaction: EntityManager, notice: GoLiveNotice): Promise<void> {
    const size = this.config.notifications.batchSize;
    let after: { createdAt: string; followerId: string } | undefined;
    for (let index = 0; ; index += 1) {
      const page = await transaction.query<Array<{ followerId: string; createdAt: string }>>(
        after === undefined ? FIRST_FOLLOWER_PAGE_SQL : NEXT_FOLLOWER_PAGE_SQL,
        after === undefined
          ? [notice.streamerId, size]
          : [notice.streamerId, size, after.createdAt, after.followerId],
      );
      if (page.length === 0) return;
      await this.batches.add('notify-followers', {
        notice: { ...notice, streamerName: '' },
        index,
        followerIds: page.map((row) => row.followerId),
      });
      if (page.length < size) return;
      after = page[page.length - 1];
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.batches.close();
  }
}
