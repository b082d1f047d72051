import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { StatsCache } from '../stats/stats.cache.js';
import type { CreateEventDto } from './create-event.dto.js';
import { EVENT_COLUMNS } from './event-columns.js';
import type { EventDto } from './event.dto.js';
import { EventListCache } from './event-list.cache.js';
import type { EventStatus } from './event-status.js';
import { assertValidSchedule, buildEventChanges } from './event-changes.js';
import type { UpdateEventDto } from './update-event.dto.js';
import { cancelEventRegistrations } from '../registrations/event-cancellation.js';
import { promoteWaitlist } from '../registrations/waitlist-promotion.js';

/** Which statuses an event may move to from each status. */
const TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['cancelled'],
  cancelled: [],
};

/**
 * Organiser writes to events. Each update is one conditional UPDATE on (id, organiser, version), so two
 * concurrent edits cannot both win; a reschedule moves the event's registrations and survey responses
 * (their partition key) in the same transaction. Every write retires the cached list pages and the
 * event's cached stats.
 */
@Injectable()
export class EventCommandsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly listCache: EventListCache,
    private readonly statsCache: StatsCache,
  ) {}

  async create(organiserId: string, input: CreateEventDto): Promise<EventDto> {
    assertValidSchedule(input.startDatetime, input.endDatetime);
    const rows = await this.dataSource.query<EventDto[]>(
      `INSERT INTO events (organiser_id, title, description, category, status, start_datetime, end_datetime,
                           timezone, venue, capacity, remaining_capacity)
       VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $9)
       RETURNING ${EVENT_COLUMNS}`,
      [
        organiserId,
        input.title,
        input.description ?? null,
        input.category,
        input.startDatetime,
        input.endDatetime,
        input.timezone ?? 'UTC',
        input.venue ?? null,
        input.capacity,
      ],
    );
    await this.listCache.invalidate();
    return rows[0] as EventDto;
  }

  async update(eventId: string, organiserId: string, input: UpdateEventDto): Promise<EventDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await this.currentForUpdate(manager, eventId, organiserId, input.version);
      if (current.status === 'cancelled') throw conflict('a cancelled event cannot be changed', 'status');
      const changes = buildEventChanges(current, input);
      const rows = await manager.query<[EventDto[], number]>(
        `UPDATE events SET ${changes.assignments}, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2
          RETURNING ${EVENT_COLUMNS}`,
        [eventId, input.version, ...changes.values],
      );
      const event = rows[0][0] as EventDto;
      if (changes.rescheduled) await moveToNewStart(manager, eventId, event.startDatetime);
      // Seats a capacity raise adds go to the waitlist first, under this transaction's row lock (issue 9).
      if (input.capacity !== undefined && (await promoteWaitlist(manager, eventId)) > 0) {
        const reloaded = await manager.query<EventDto[]>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`,
          [eventId],
        );
        return reloaded[0] as EventDto;
      }
      return event;
    });
    await this.afterWrite(eventId);
    return updated;
  }

  async transition(
    eventId: string,
    organiserId: string,
    version: number,
    to: EventStatus,
  ): Promise<EventDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await this.currentForUpdate(manager, eventId, organiserId, version);
      if (!TRANSITIONS[current.status].includes(to)) {
        throw conflict(`a ${current.status} event cannot become ${to}`, 'status');
      }
      const rows = await manager.query<[EventDto[], number]>(
        `UPDATE events SET status = $3, version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING ${EVENT_COLUMNS}`,
        [eventId, version, to],
      );
      // Same transaction: the event is never cancelled with live registrations, nor the reverse (issue 9).
      if (to === 'cancelled' && (await cancelEventRegistrations(manager, eventId)) > 0) {
        return reload(manager, eventId);
      }
      return rows[0][0] as EventDto;
    });
    await this.afterWrite(eventId);
    return updated;
  }

  /**
   * Locks the row and checks ownership and version, so the caller gets 404 / 403 / 409 for the right reason.
   * FOR NO KEY UPDATE does not block registrations' foreign-key checks (FOR KEY SHARE) on this event.
   */
  private async currentForUpdate(
    manager: EntityManager,
    eventId: string,
    organiserId: string,
    version: number,
  ): Promise<EventDto> {
    const rows = await manager.query<EventDto[]>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 FOR NO KEY UPDATE`,
      [eventId],
    );
    const current = rows[0];
    if (!current)
      throw new NotFoundException({
        message: `event ${eventId} not found`,
        details: [{ field: 'id', message: 'no such event' }],
      });
    if (current.organiserId !== organiserId) {
      throw new ForbiddenException({ message: 'only the event organiser can change it', details: [] });
    }
    if (current.version !== version) {
      throw conflict(
        `event was changed by someone else: it is at version ${current.version}, not ${version}`,
        'version',
      );
    }
    return current;
  }

  private async afterWrite(eventId: string): Promise<void> {
    await this.listCache.invalidate();
    await this.statsCache.invalidate(eventId);
  }
}

/** The event as this transaction left it, after a statement that changed its seats. */
async function reload(manager: EntityManager, eventId: string): Promise<EventDto> {
  const rows = await manager.query<EventDto[]>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [
    eventId,
  ]);
  return rows[0] as EventDto;
}

/** registrations and survey_responses keep a copy of the start as their partition key: rows move partition. */
async function moveToNewStart(manager: EntityManager, eventId: string, start: Date): Promise<void> {
  await manager.query(
    'UPDATE registrations SET event_starts_at = $2, updated_at = now() WHERE event_id = $1',
    [eventId, start],
  );
  await manager.query('UPDATE survey_responses SET event_starts_at = $2 WHERE event_id = $1', [
    eventId,
    start,
  ]);
}

function conflict(message: string, field: string): ConflictException {
  return new ConflictException({ message, details: [{ field, message }] });
}
