import { Module } from '@nestjs/common';
import { ArchivesModule } from '../archives/archives.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { LiveListRepresentations } from './live-list.representations.js';
import { LiveStreamList } from './live-stream-list.js';
import { StreamLifecycleEvents } from './stream-lifecycle.events.js';
import { StreamQueries } from './stream-queries.js';
import { StreamsController } from './streams.controller.js';
import { StreamsService } from './streams.service.js';

@Module({
  imports: [ArchivesModule, NotificationsModule],
  controllers: [StreamsController],
  providers: [LiveListRepresentations, LiveStreamList, StreamLifecycleEvents, StreamQueries, StreamsService],
  exports: [StreamLifecycleEvents],
})
export class StreamsModule {}
