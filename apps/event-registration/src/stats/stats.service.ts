import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EventStatsDto } from './event-stats.dto.js';
import { EventStatsReader } from './event-stats.reader.js';
import { StatsCache } from './stats.cache.js';

/** The organiser dashboard's numbers: aggregated in SQL, read through the Redis cache. */
@Injectable()
export class StatsService {
  constructor(
    private readonly reader: EventStatsReader,
    private readonly cache: StatsCache,
  ) {}

  /** The cached stats carry the organiser, so the ownership check costs no query on a hit. */
  async forOrganiser(eventId: string, organiserId: string): Promise<EventStatsDto> {
    const stats = await this.cache.read(eventId, () => this.compute(eventId));
    if (stats.organiserId !== organiserId) {
      throw new ForbiddenException({ message: "only the event's organiser can see its stats", details: [] });
    }
    return stats;
  }

  async compute(eventId: string): Promise<EventStatsDto> {
    const stats = await this.reader.read(eventId);
    if (!stats) {
      throw new NotFoundException({
        message: `event ${eventId} not found`,
        details: [{ field: 'id', message: 'no such event' }],
      });
    }
    return stats;
  }
}
