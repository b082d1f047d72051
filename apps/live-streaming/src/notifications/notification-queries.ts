import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import { NOTIFICATION_PAGES, NOTIFICATIONS_SORT } from './notification-list.policy.js';
import type { NotificationPageQueryDto } from './notification-page-query.dto.js';
import type { NotificationDto } from './notification.dto.js';
import { MARK_READ_SQL, notificationsPageSql } from './notification.sql.js';

/** A member's own notices: keyset pages (one statement each) and marking one read. */
@Injectable()
export class NotificationQueries {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async page(userId: string, request: NotificationPageQueryDto): Promise<KeysetPage<NotificationDto>> {
    const page = buildKeysetSql(
      {
        sort: NOTIFICATIONS_SORT,
        scope: { endpoint: 'GET /notifications', filter: { userId } },
        cursor: request.cursor ?? null,
        ...(request.limit === undefined ? {} : { limit: request.limit }),
        ...NOTIFICATION_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<NotificationDto[]>(notificationsPageSql(page), [
      userId,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }

  /** Someone else's notice answers 404 like a missing one: its existence is not the caller's business. */
  async markRead(userId: string, notificationId: string): Promise<void> {
    const [[updated]] = await this.dataSource.query<[Array<{ id: string }>, number]>(MARK_READ_SQL, [
      notificationId,
      userId,
    ]);
    if (!updated) throw new NotFoundException(`notification ${notificationId} not found`);
  }
}
