import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { EventCommandsService } from './event-commands.service.js';
import { EventListCache } from './event-list.cache.js';
import { EVENT_LIST_PAGES, EVENT_LIST_PAGE_SIZES } from './event-list.policy.js';
import { EventQueriesService } from './event-queries.service.js';
import { EventsController } from './events.controller.js';

@Module({
  imports: [StatsModule],
  controllers: [EventsController],
  providers: [
    {
      provide: EVENT_LIST_PAGE_SIZES,
      useValue: { defaultLimit: EVENT_LIST_PAGES.defaultLimit, maxLimit: EVENT_LIST_PAGES.maxLimit },
    },
    EventCommandsService,
    EventQueriesService,
    EventListCache,
  ],
  exports: [EventQueriesService],
})
export class EventsModule {}
