import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { paginateKeyset, resolvePageSize, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { EventDto } from '../src/events/event.dto.js';
import { EventEntity } from '../src/events/event.entity.js';
import type { EventListFilter } from '../src/events/event-list.filter.js';
import {
  EVENT_LIST_PAGE_SIZES,
  EVENT_LIST_SORT,
  type EventListPageSizes,
} from '../src/events/event-list.policy.js';

/*
 * The reviewed design's GET /api/events (Section 5.1): "Returns all events matching filters" — no LIMIT,
 * no page, every column. Plugged in place of EventQueriesService behind the real controller, DTO and
 * guards: with 10,000 events one request ships all 10,000 rows to the app and the client, whatever
 * `limit` says. (The review has no cache either: every request reads the table.)
 */
@Injectable()
export class UnboundedEventQueries {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_LIST_PAGE_SIZES) private readonly pageSizes: EventListPageSizes,
  ) {}

  async get(id: string): Promise<EventDto> {
    const event = await this.dataSource.getRepository(EventEntity).findOneBy({ id });
    if (!event) throw new NotFoundException(`event ${id} not found`);
    return event;
  }

  // A keyset page of at most `limit` rows (a bounded default when none is asked, a 400 past the maximum):
  // an index range scan that reads the same few rows however many events exist.
  list(filter: EventListFilter): Promise<KeysetPage<EventDto>> {
    const query = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('event')
      .where('event.status = :status', { status: filter.status });
    if (filter.organiserId !== null)
      query.andWhere('event.organiser_id = :organiserId', { organiserId: filter.organiserId });
    if (filter.category !== null) query.andWhere('event.category = :category', { category: filter.category });
    if (filter.from !== null) query.andWhere('event.start_datetime >= :from', { from: filter.from });
    if (filter.to !== null) query.andWhere('event.start_datetime < :to', { to: filter.to });
    return paginateKeyset(query, {
      sort: EVENT_LIST_SORT,
      scope: {
        endpoint: 'GET /events',
        filter: {
          status: filter.status,
          organiserId: filter.organiserId,
          category: filter.category,
          from: filter.from,
          to: filter.to,
        },
      },
      ...this.pageSizes,
      cursor: filter.cursor,
      limit: resolvePageSize(filter.limit ?? undefined, this.pageSizes),
    });
  }
}
