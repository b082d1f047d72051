import { Injectable, NotFoundException } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import type { EventDto } from '../src/events/event.dto.js';
import { EventEntity } from '../src/events/event.entity.js';
import type { EventListFilter } from '../src/events/event-list.filter.js';

/*
 * The reviewed design's GET /api/events (Section 5.1): "Returns all events matching filters" — no LIMIT,
 * no page, every column. Plugged in place of EventQueriesService behind the real controller, DTO and
 * guards: with 10,000 events one request ships all 10,000 rows to the app and the client, whatever
 * `limit` says. (The review has no cache either: every request reads the table.)
 */
@Injectable()
export class UnboundedEventQueries {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string): Promise<EventDto> {
    const event = await this.dataSource.getRepository(EventEntity).findOneBy({ id });
    if (!event) throw new NotFoundException(`event ${id} not found`);
    return event;
  }

  async list(filter: EventListFilter): Promise<KeysetPage<EventDto>> {
    const where: FindOptionsWhere<EventEntity> = { status: filter.status };
    if (filter.category !== null) where.category = filter.category;
    if (filter.organiserId !== null) where.organiserId = filter.organiserId;
    const events = await this.dataSource
      .getRepository(EventEntity)
      .find({ where, order: { startDatetime: 'ASC' } });
    return { data: events, pagination: { nextCursor: null, hasMore: false } };
  }
}
