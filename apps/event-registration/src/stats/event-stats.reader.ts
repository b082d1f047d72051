import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStatsDto } from './event-stats.dto.js';
import { computeEventStats } from './event-stats.queries.js';

/**
 * Where one event's stats come from when the cache misses: two aggregate statements (events:S-1, M-3).
 * A provider of its own so the aggregation can be swapped or instrumented without touching the cache,
 * the ownership check or the controller.
 */
@Injectable()
export class EventStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when the event does not exist. */
  read(eventId: string): Promise<EventStatsDto | undefined> {
    return computeEventStats(this.dataSource.manager, eventId);
  }
}
