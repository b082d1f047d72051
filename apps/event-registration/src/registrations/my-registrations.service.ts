import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage, type KeysetSort } from '@remedy/pagination';
import type pg from 'pg';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import type { RegistrationStatus } from './registration-status.js';

export const MY_REGISTRATIONS_SORT: KeysetSort = [
  { column: 'r.registered_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'r.id', type: 'uuid', direction: 'DESC' },
];

export interface MyRegistrationRow {
  id: string;
  eventId: string;
  eventTitle: string | null;
  eventStartsAt: Date;
  status: RegistrationStatus;
  version: number;
  registeredAt: Date;
  checkedInAt: Date | null;
}

/** GET /me/registrations: newest first, a keyset page at a time (registrations_user_idx + one join). */
@Injectable()
export class MyRegistrationsService {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: pg.Pool) {}

  async page(
    userId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<KeysetPage<MyRegistrationRow>> {
    const keyset = buildKeysetSql(
      {
        sort: MY_REGISTRATIONS_SORT,
        scope: { endpoint: 'GET /me/registrations', filter: { userId } },
        cursor,
        limit,
        maxLimit: 50,
      },
      { parameterOffset: 1 },
    );
    const { rows } = await this.pool.query<MyRegistrationRow>(
      `SELECT r.id, r.event_id AS "eventId", e.title AS "eventTitle", r.event_starts_at AS "eventStartsAt",
              r.status, r.version, r.registered_at AS "registeredAt", r.checked_in_at AS "checkedInAt",
              ${keyset.select}
         FROM registrations r JOIN events e ON e.id = r.event_id
        WHERE r.user_id = $1 AND ${keyset.where}
        ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      [userId, ...keyset.parameters],
    );
    return keyset.toPage(rows);
  }
}
