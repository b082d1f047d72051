import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DepartmentCountDto, EventStatsDto } from '../src/stats/event-stats.dto.js';

interface EventRow {
  organiser_id: string;
  capacity: number;
}

interface RegistrationRow {
  status: string;
  department: string;
}

/*
 * The reviewed getEventStats (Section 6.2, lines 209-239): fetch every registration of the event with
 * its user to application memory, then iterate to count (events:S-1 stats, M-3):
 *
 *   registrations.forEach(reg => {
 *     if (!statsByDepartment[reg.department]) statsByDepartment[reg.department] = 0;
 *     statsByDepartment[reg.department] = statsByDepartment[reg.department]! + 1;
 *   });
 *
 * Rows transferred grow with the event's size: O(registrations) rows, O(n) memory and JS work. Plugged in
 * place of EventStatsReader, behind the same cache, ownership check and controller.
 */
export function aggregateInJs(
  eventId: string,
  event: EventRow,
  registrations: RegistrationRow[],
  surveyResponses: number,
): EventStatsDto {
  const statsByDepartment: Record<string, DepartmentCountDto> = {};
  let registered = 0;
  let checkedIn = 0;
  let cancelled = 0;
  let waitlisted = 0;
  registrations.forEach((reg) => {
    if (!statsByDepartment[reg.department]) {
      statsByDepartment[reg.department] = { department: reg.department, registrations: 0, checkedIn: 0 };
    }
    const department = statsByDepartment[reg.department]!;
    if (reg.status === 'cancelled') {
      cancelled++;
      return;
    }
    department.registrations++;
    if (reg.status === 'waitlisted') waitlisted++;
    if (reg.status === 'registered' || reg.status === 'checked_in') registered++;
    if (reg.status === 'checked_in') {
      checkedIn++;
      department.checkedIn++;
    }
  });
  return {
    eventId,
    organiserId: event.organiser_id,
    capacity: event.capacity,
    total: registrations.length,
    registered,
    checkedIn,
    cancelled,
    waitlisted,
    surveyResponses,
    surveyResponseRate: checkedIn === 0 ? 0 : surveyResponses / checkedIn,
    byDepartment: Object.values(statsByDepartment).sort((a, b) =>
      a.department < b.department ? -1 : a.department > b.department ? 1 : 0,
    ),
  };
}

/** The review's statements, as it wrote them: SELECT r.*, u.* … and SELECT * FROM survey_responses. */
@Injectable()
export class JsEventStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  async read(eventId: string): Promise<EventStatsDto | undefined> {
    const [event] = await this.dataSource.query<EventRow[]>('SELECT * FROM events WHERE id = $1', [eventId]);
    if (!event) return undefined;
    const registrations = await this.dataSource.query<RegistrationRow[]>(
      `SELECT r.*, u.department, u.name, u.email
         FROM registrations r JOIN users u ON r.user_id = u.id
        WHERE r.event_id = $1`,
      [eventId],
    );
    const responses = await this.dataSource.query<unknown[]>(
      'SELECT * FROM survey_responses WHERE event_id = $1',
      [eventId],
    );
    return aggregateInJs(eventId, event, registrations, responses.length);
  }
}

/**
 * A flaw put back for events:M-3 (and S-1's stats): the same JS aggregation behind a TypeORM rewrite, a
 * query builder that selects every registration with its user's department (no raw `query()` call).
 */
@Injectable()
export class QueryBuilderJsStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  async read(eventId: string): Promise<EventStatsDto | undefined> {
    const event = await this.dataSource
      .createQueryBuilder()
      .select(['e.organiser_id AS organiser_id', 'e.capacity AS capacity'])
      .from('events', 'e')
      .where('e.id = :eventId', { eventId })
      .getRawOne<EventRow>();
    if (!event) return undefined;
    const registrations = await this.dataSource
      .createQueryBuilder()
      .select(['r.status AS status', 'u.department AS department'])
      .from('registrations', 'r')
      .innerJoin('users', 'u', 'u.id = r.user_id')
      .where('r.event_id = :eventId', { eventId })
      .getRawMany<RegistrationRow>();
    const responses = await this.dataSource
      .createQueryBuilder()
      .select('s.id')
      .from('survey_responses', 's')
      .where('s.event_id = :eventId', { eventId })
      .getRawMany();
    return aggregateInJs(eventId, event, registrations, responses.length);
  }
}
