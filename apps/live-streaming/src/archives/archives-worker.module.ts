import { Module } from '@nestjs/common';
import { ArchiveRecords } from './archive-records.js';
import { ArchiveTranscoding } from './archive-transcoding.js';
import { FfmpegHlsTranscoder } from './ffmpeg-hls-transcoder.js';
import { MEDIA_BUCKET_PROVIDERS } from './media-bucket.providers.js';
import { TranscodeWorker } from './transcode.worker.js';

/** The worker's side of archives: the transcode queue's consumer (ffmpeg, capped, retried). */
@Module({
  providers: [
    ...MEDIA_BUCKET_PROVIDERS,
    ArchiveRecords,
    FfmpegHlsTranscoder,
    ArchiveTranscoding,
    TranscodeWorker,
  ],
})
export class ArchivesWorkerModule {}
