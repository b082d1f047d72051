import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { paginateKeyset, resolvePageSize, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { EventDto } from './event.dto.js';
import { EventEntity } from './event.entity.js';
import { EventListCache } from './event-list.cache.js';
import type { EventListFilter } from './event-list.filter.js';
import { EVENT_LIST_PAGE_SIZES, EVENT_LIST_SORT, type EventListPageSizes } from './event-list.policy.js';

/** Reads of events: one event (always fresh) and keyset pages of the list (cached, events:S-1, M-1). */
@Injectable()
export class EventQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly listCache: EventListCache,
    @Inject(EVENT_LIST_PAGE_SIZES) private readonly pageSizes: EventListPageSizes,
  ) {}

  /**
   * A draft is its organiser's alone, like the list (issue 9): to anyone else it does not exist (404, not
   * 403, so event ids cannot be probed for unpublished plans).
   */
  async get(id: string, viewerId: string): Promise<EventDto> {
    const event = await this.dataSource.getRepository(EventEntity).findOneBy({ id });
    if (!event || (event.status === 'draft' && event.organiserId !== viewerId))
      throw new NotFoundException({
        message: `event ${id} not found`,
        details: [{ field: 'id', message: 'no such event' }],
      });
    return event;
  }

  /** Throws InvalidPageSizeError (a 400) for a limit outside 1..maxLimit; no limit means the default. */
  list(filter: EventListFilter): Promise<KeysetPage<EventDto>> {
    const page = { ...filter, limit: resolvePageSize(filter.limit ?? undefined, this.pageSizes) };
    return this.listCache.read(page, () => this.loadPage(page));
  }

  /** The uncached page: at most `limit` rows (≤ 100) by an index range scan, however many events exist. */
  loadPage(filter: EventListFilter & { limit: number }): Promise<KeysetPage<EventDto>> {
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
      // Every filter narrows the list, so a cursor from another filter would seek into a list it does not describe.
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
      limit: filter.limit,
    });
  }
}
