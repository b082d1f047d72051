import { Injectable, NotFoundException } from '@nestjs/common';
import { paginateKeyset, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { EventDto } from './event.dto.js';
import { EventEntity } from './event.entity.js';
import { EventListCache } from './event-list.cache.js';
import type { EventListFilter } from './event-list.filter.js';
import { EVENT_LIST_PAGES } from './event-list.policy.js';

/** Reads of events: one event (always fresh) and keyset pages of the list (cached, events:S-1, M-1). */
@Injectable()
export class EventQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly listCache: EventListCache,
  ) {}

  async get(id: string): Promise<EventDto> {
    const event = await this.dataSource.getRepository(EventEntity).findOneBy({ id });
    if (!event)
      throw new NotFoundException({
        message: `event ${id} not found`,
        details: [{ field: 'id', message: 'no such event' }],
      });
    return event;
  }

  list(filter: EventListFilter): Promise<KeysetPage<EventDto>> {
    return this.listCache.read(filter, () => this.loadPage(filter));
  }

  /** The uncached page: at most `limit` rows (≤ 100) by an index range scan, however many events exist. */
  loadPage(filter: EventListFilter): Promise<KeysetPage<EventDto>> {
    const query = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('event')
      .where('event.status = :status', { status: filter.status });
    if (filter.organiserId !== null)
      query.andWhere('event.organiser_id = :organiserId', { organiserId: filter.organiserId });
    if (filter.category !== null) query.andWhere('event.category = :category', { category: filter.category });
    if (filter.from !== null) query.andWhere('event.start_datetime >= :from', { from: filter.from });
    if (filter.to !== null) query.andWhere('event.start_datetime < :to', { to: filter.to });
    return paginateKeyset(query, { ...EVENT_LIST_PAGES, cursor: filter.cursor, limit: filter.limit });
  }
}
