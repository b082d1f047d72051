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

interface DepartmentRow {
  department: string;
  total: number;
  registered: number;
  checkedIn: number;
  cancelled: number;
  waitlisted: number;
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

  // The database aggregates: one row for the event (its survey responses counted there), one row per
  // department for its registrations, whatever the event's size.
  async read(eventId: string): Promise<EventStatsDto | undefined> {
    const [event] = await this.dataSource.query<(EventRow & { surveyResponses: number })[]>(
      `SELECT e.organiser_id, e.capacity,
              (SELECT count(*)::int FROM survey_responses s WHERE s.event_id = e.id) AS "surveyResponses"
         FROM events e WHERE e.id = $1`,
      [eventId],
    );
    if (!event) return undefined;
    const departments = await this.dataSource.query<DepartmentRow[]>(
      `SELECT u.department,
              count(*)::int AS total,
              count(*) FILTER (WHERE r.status IN ('registered', 'checked_in'))::int AS registered,
              count(*) FILTER (WHERE r.status = 'checked_in')::int AS "checkedIn",
              count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE r.status = 'waitlisted')::int AS waitlisted
         FROM registrations r JOIN users u ON u.id = r.user_id
        WHERE r.event_id = $1
        GROUP BY u.department
        ORDER BY u.department`,
      [eventId],
    );
    const sum = (field: Exclude<keyof DepartmentRow, 'department'>): number =>
      departments.reduce((total, row) => total + row[field], 0);
    const checkedIn = sum('checkedIn');
    return {
      eventId,
      organiserId: event.organiser_id,
      capacity: event.capacity,
      total: sum('total'),
      registered: sum('registered'),
      checkedIn,
      cancelled: sum('cancelled'),
      waitlisted: sum('waitlisted'),
      surveyResponses: event.surveyResponses,
      surveyResponseRate: checkedIn === 0 ? 0 : event.surveyResponses / checkedIn,
      byDepartment: departments.map((row) => ({
        department: row.department,
        registrations: row.total - row.cancelled,
        checkedIn: row.checkedIn,
      })),
    };
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
