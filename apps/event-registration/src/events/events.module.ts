import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { EventCommandsService } from './event-commands.service.js';
import { EventListCache } from './event-list.cache.js';
import { EventQueriesService } from './event-queries.service.js';
import { EventsController } from './events.controller.js';

@Module({
  imports: [StatsModule],
  controllers: [EventsController],
  providers: [EventCommandsService, EventQueriesService, EventListCache],
  exports: [EventQueriesService],
})
export class EventsModule {}
