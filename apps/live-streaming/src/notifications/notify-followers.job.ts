import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { INSERT_NOTICES_SQL, MARK_PUSHED_SQL, UNPUSHED_NOTICES_SQL } from './follower-batch.sql.js';
import { NOTIFY_FOLLOWERS_QUEUE, type FollowerBatch } from './notification-queues.js';
import { PUSH_PROVIDER, type PushProvider } from './push/push-provider.js';
import { UserNoticePublisher, type NotificationFrame } from './user-notice.publisher.js';

/**
 * livestream:C1, second step: one batch of followers. It stores their notices in one statement, then pushes
 * the ones not pushed yet (mobile push in one provider call, WebSocket through the user rooms) and marks them
 * pushed. A failed attempt is retried by BullMQ with backoff: the insert then adds nothing (ON CONFLICT DO
 * NOTHING on (user_id, stream_id)), so every follower has exactly one notice, and only unmarked notices are
 * pushed again. A worker killed between a push and its mark pushes that batch again on retry: pushes are
 * at-least-once, with the provider's Idempotency-Key absorbing a repeated mobile push and the notice id on
 * the WebSocket frame letting a client drop a repeat.
 */
@Injectable()
export class NotifyFollowersJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotifyFollowers');
  private worker: Worker<FollowerBatch> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PUSH_PROVIDER) private readonly mobile: PushProvider,
    @Inject(UserNoticePublisher) private readonly sockets: UserNoticePublisher,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<FollowerBatch>(NOTIFY_FOLLOWERS_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.notifications.batchConcurrency,
    });
    this.worker.on('error', (error) => this.logger.warn(`batch worker error: ${error.message}`));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`batch ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<FollowerBatch>): Promise<void> {
    const { notice, index, followerIds } = job.data;
    await this.dataSource.query(INSERT_NOTICES_SQL, [followerIds, notice.streamId]);
    const unpushed = await this.dataSource.query<Array<{ id: string; userId: string; createdAt: Date }>>(
      UNPUSHED_NOTICES_SQL,
      [followerIds, notice.streamId],
    );
    if (unpushed.length === 0) return;
    await this.mobile.send(
      {
        userIds: unpushed.map((row) => row.userId),
        heading: `${notice.streamerName} is live`,
        content: notice.title,
        data: { streamId: notice.streamId },
      },
      `go-live-${notice.streamId}-${index}`,
    );
    await this.sockets.push(
      unpushed.map((row): { userId: string; frame: NotificationFrame } => ({
        userId: row.userId,
        frame: {
          type: 'notification',
          id: row.id,
          kind: 'stream-started',
          streamId: notice.streamId,
          streamerId: notice.streamerId,
          streamerName: notice.streamerName,
          title: notice.title,
          createdAt: row.createdAt.toISOString(),
        },
      })),
    );
    await this.dataSource.query(MARK_PUSHED_SQL, [unpushed.map((row) => row.id)]);
  }
}
