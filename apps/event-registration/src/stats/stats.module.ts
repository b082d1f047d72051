import { Module } from '@nestjs/common';
import { EventStatsReader } from './event-stats.reader.js';
import { StatsCache } from './stats.cache.js';
import { StatsController } from './stats.controller.js';
import { StatsService } from './stats.service.js';

/**
 * Event stats (events:S-1, M-1, M-3). Exports StatsCache: every writer of registrations, check-ins and
 * survey responses calls `statsCache.invalidate(eventId)` after its commit.
 */
@Module({
  controllers: [StatsController],
  providers: [EventStatsReader, StatsCache, StatsService],
  exports: [StatsCache, StatsService],
})
export class StatsModule {}
