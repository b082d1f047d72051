import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../src/app-config.module.js';
import { ArchiveRecords } from '../src/archives/archive-records.js';
import { ArchiveTranscoding } from '../src/archives/archive-transcoding.js';
import { FfmpegHlsTranscoder } from '../src/archives/ffmpeg-hls-transcoder.js';
import { MediaBucket } from '../src/archives/media-bucket.js';
import type { StreamArchiver } from '../src/archives/stream-archiver.js';
import type { AppConfig } from '../src/config.js';

/*
 * livestream:S5 — the design's Archive Service "uses FFmpeg for transcoding without specifying async job queue
 * or resource limits": the stream's end runs ffmpeg on the recording and answers when the archive is made.
 * "Synchronous FFmpeg transcoding blocks API responses → stream end latency increases"; ten streams ending at
 * once run ten ffmpeg processes at once on the API's CPU; and there is "no retry mechanism for failed
 * transcoding": one failed run leaves the archive failed for good.
 *
 * SynchronousTranscodingArchiver takes StreamArchiver's place under the real POST /streams/:id/end. It runs
 * the same download, ffmpeg ladder and upload as the worker, so the only difference is where and when.
 */
@Injectable()
export class SynchronousTranscodingArchiver implements StreamArchiver {
  private readonly transcoding: ArchiveTranscoding;

  constructor(
    private readonly records: ArchiveRecords,
    bucket: MediaBucket,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // No resource limits either: ffmpeg at the API's own CPU priority.
    const unlimited = { ...config, archives: { ...config.archives, ffmpegNice: 0 } };
    this.transcoding = new ArchiveTranscoding(bucket, new FfmpegHlsTranscoder(unlimited));
  }

  async archive(streamId: string): Promise<void> {
    if ((await this.records.request(streamId)) !== 'pending') return;
    await this.records.transcoding(streamId, 1);
    try {
      await this.records.ready(streamId, await this.transcoding.run(streamId, this.config.archives.workDir));
    } catch {
      await this.records.failed(streamId);
    }
  }
}
