import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, ArchivesConfig } from '../config.js';
import { ArchiveRecords } from './archive-records.js';
import { TRANSCODE_QUEUE, transcodeJobOptions, type TranscodeJob } from './transcode.job.js';

/**
 * What ending a stream asks for its archive (livestream:S5). The end request awaits it, so it must be quick:
 * the remedy records the archive as pending and queues the transcode; the review's design ran ffmpeg here.
 */
export abstract class StreamArchiver {
  abstract archive(streamId: string): Promise<void>;
}

/**
 * Writes the archive row, then queues the job: one INSERT and one Redis call. When the queue call fails the
 * end request fails with it, and the streamer's retry (ending is idempotent) asks again: a row still pending
 * is queued again, the job id making a second copy impossible while the first exists.
 */
@Injectable()
export class QueuedStreamArchiver extends StreamArchiver {
  private readonly config: ArchivesConfig;

  constructor(
    private readonly records: ArchiveRecords,
    @Inject(TRANSCODE_QUEUE) private readonly queue: Queue<TranscodeJob>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.config = config.archives;
  }

  async archive(streamId: string): Promise<void> {
    if ((await this.records.request(streamId)) !== 'pending') return;
    await this.queue.add('transcode', { streamId }, transcodeJobOptions(streamId, this.config));
  }
}
