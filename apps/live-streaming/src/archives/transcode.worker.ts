import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { ArchiveRecords } from './archive-records.js';
import { ArchiveTranscoding } from './archive-transcoding.js';
import { TRANSCODE_QUEUE_NAME, type TranscodeJob } from './transcode.job.js';

/**
 * Consumes the transcode queue: at most `TRANSCODE_CONCURRENCY` ffmpeg processes per worker, however many
 * streams end at once; the rest wait in Redis. Each run records its attempt on the archive row; a failed run is
 * `pending` again until BullMQ's backoff lets it retry, and the last failed attempt leaves it `failed`.
 * At least once: a worker killed mid-transcode loses its lock and the job runs again elsewhere, overwriting
 * the same keys.
 */
@Injectable()
export class TranscodeWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TranscodeWorker.name);
  private worker: Worker<TranscodeJob> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    private readonly records: ArchiveRecords,
    private readonly transcoding: ArchiveTranscoding,
  ) {}

  onModuleInit(): void {
    this.worker = new Worker<TranscodeJob>(TRANSCODE_QUEUE_NAME, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.archives.transcodeConcurrency,
      // A transcode holds the job for minutes: a longer lock than BullMQ's 30 s, renewed while ffmpeg runs.
      lockDuration: 120_000,
    });
    this.worker.on('error', (error) => this.logger.error(`transcode worker: ${error.message}`));
    // A job BullMQ fails by itself (its worker died mid-run more often than maxStalledCount allows) never
    // reaches process()'s catch: once a job is finally failed, whoever sees it makes sure the row says so.
    this.worker.on('failed', (job) => {
      if (job === undefined) return;
      void this.markFailedIfGivenUp(job).catch((error: unknown) =>
        this.logger.error(`stream ${job.data.streamId}: recording the failure: ${String(error)}`),
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets running transcodes finish (within the shutdown grace); a job cut off is retried by another worker.
    await this.worker?.close();
  }

  private async markFailedIfGivenUp(job: Job<TranscodeJob>): Promise<void> {
    if ((await job.getState()) === 'failed') await this.records.failed(job.data.streamId);
  }

  private async process(job: Job<TranscodeJob>): Promise<void> {
    const { streamId } = job.data;
    const attempt = job.attemptsMade + 1;
    await this.records.transcoding(streamId, attempt);
    try {
      const renditions = await this.transcoding.run(streamId, this.config.archives.workDir);
      await this.records.ready(streamId, renditions);
    } catch (error) {
      const last = attempt >= (job.opts.attempts ?? 1);
      this.logger.warn(
        `stream ${streamId}: transcode attempt ${attempt} failed${last ? ', giving up' : ''}: ${String(error)}`,
      );
      if (last) await this.records.failed(streamId);
      else await this.records.awaitingRetry(streamId);
      throw error;
    }
  }
}
