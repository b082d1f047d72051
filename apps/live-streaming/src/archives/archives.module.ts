import { Module } from '@nestjs/common';
import { ArchiveRecords } from './archive-records.js';
import { ArchivesController } from './archives.controller.js';
import { MEDIA_BUCKET_PROVIDERS } from './media-bucket.providers.js';
import { ArchivePlayerController } from './player/archive-player.controller.js';
import { QueuedStreamArchiver, StreamArchiver } from './stream-archiver.js';
import { TRANSCODE_QUEUE_PROVIDER, TranscodeQueueShutdown } from './transcode-queue.provider.js';

/** The API's side of archives: queueing a transcode when a stream ends, the archive's status, playback. */
@Module({
  controllers: [ArchivesController, ArchivePlayerController],
  providers: [
    ...MEDIA_BUCKET_PROVIDERS,
    ArchiveRecords,
    TRANSCODE_QUEUE_PROVIDER,
    TranscodeQueueShutdown,
    { provide: StreamArchiver, useClass: QueuedStreamArchiver },
  ],
  exports: [StreamArchiver],
})
export class ArchivesModule {}
