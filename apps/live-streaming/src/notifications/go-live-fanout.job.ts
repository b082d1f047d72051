import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { isOutboxCompleted, markOutboxCompleted, type OutboxEnvelope } from '@remedy/outbox';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { FIRST_FOLLOWER_PAGE_SQL, NEXT_FOLLOWER_PAGE_SQL, STREAMER_NAME_SQL } from './follower-batch.sql.js';
import { GO_LIVE_TOPIC, type GoLiveNotice } from './go-live-notice.js';
import {
  GO_LIVE_FANOUT_QUEUE,
  NOTIFY_FOLLOWERS_QUEUE,
  notificationJobOptions,
  type FanoutProgress,
  type FollowerBatch,
} from './notification-queues.js';

type FanoutData = OutboxEnvelope<GoLiveNotice> & { progress?: FanoutProgress };
type FanoutJob = Job<FanoutData>;

/**
 * livestream:C1, first step: one go-live becomes one batch job per `batchSize` followers. It reads the
 * followers a page at a time (keyset, one index range scan each) and enqueues each page as a batch at once,
 * so the first followers are being notified while later pages are still read. Its progress is saved in the
 * job after each batch: a fan-out that fails or dies resumes after the last batch it enqueued, and a batch it
 * enqueues twice (died between the two) has the same job id, which BullMQ ignores while the first exists;
 * after that the batch's own idempotence covers it. Done, it acknowledges the outbox row, so the relay's
 * redelivery sweep republishes only fan-outs that never finished.
 */
@Injectable()
export class GoLiveFanoutJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GoLiveFanout');
  private worker: Worker<FanoutData> | undefined;
  private batches: Queue<FollowerBatch> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const prefix = this.config.redis.queuePrefix;
    this.batches = new Queue<FollowerBatch>(NOTIFY_FOLLOWERS_QUEUE, {
      connection: this.connection,
      prefix,
      defaultJobOptions: notificationJobOptions(this.config.notifications),
    });
    this.worker = new Worker<FanoutData>(GO_LIVE_FANOUT_QUEUE, (job: FanoutJob) => this.process(job), {
      connection: this.connection,
      prefix,
      concurrency: 2,
    });
    this.worker.on('error', (error) => this.logger.warn(`fan-out worker error: ${error.message}`));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`fan-out of outbox message ${job?.data.outboxId} failed: ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.batches?.close();
  }

  private async process(job: FanoutJob): Promise<void> {
    const { outboxId, topic, payload: notice } = job.data;
    if (topic !== GO_LIVE_TOPIC || (await isOutboxCompleted(this.dataSource, outboxId))) return;
    const [streamer] = await this.dataSource.query<Array<{ displayName: string }>>(STREAMER_NAME_SQL, [
      notice.streamerId,
    ]);
    const batchNotice = { ...notice, streamerName: streamer?.displayName ?? 'Someone you follow' };
    const size = this.config.notifications.batchSize;
    let progress: FanoutProgress = job.data.progress ?? { batches: 0, after: null };
    for (;;) {
      const page = await this.followersAfter(notice.streamerId, progress.after, size);
      if (page.length === 0) break;
      await this.batches!.add(
        'notify-followers',
        { notice: batchNotice, index: progress.batches, followerIds: page.map((row) => row.followerId) },
        { jobId: `${outboxId}-${progress.batches}` },
      );
      const last = page[page.length - 1]!;
      progress = { batches: progress.batches + 1, after: last };
      await job.updateData({ ...job.data, progress });
      if (page.length < size) break;
    }
    await markOutboxCompleted(this.dataSource, outboxId);
  }

  private followersAfter(
    streamerId: string,
    after: FanoutProgress['after'],
    limit: number,
  ): Promise<Array<{ followerId: string; createdAt: string }>> {
    return after === null
      ? this.dataSource.query(FIRST_FOLLOWER_PAGE_SQL, [streamerId, limit])
      : this.dataSource.query(NEXT_FOLLOWER_PAGE_SQL, [streamerId, limit, after.createdAt, after.followerId]);
  }
}
