import type { EntityManager } from 'typeorm';
import type { DepartmentCountDto, EventStatsDto } from './event-stats.dto.js';

interface EventRow {
  organiserId: string;
  capacity: number;
  surveyResponses: number;
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
 * events:S-1 / M-3: the database aggregates, the app receives one row per department. Both statements
 * name event_starts_at, so each reads one partition (events:S-5), and the registration counts come from
 * registrations_event_status_idx (+ users by primary key).
 */
const EVENT_SQL = `
  SELECT e.organiser_id AS "organiserId", e.capacity,
         (SELECT count(*)::int FROM survey_responses s
           WHERE s.event_id = e.id AND s.event_starts_at = e.start_datetime) AS "surveyResponses"
    FROM events e WHERE e.id = $1`;

export const DEPARTMENT_COUNTS_SQL = `
  SELECT u.department,
         count(*)::int AS total,
         count(*) FILTER (WHERE r.status IN ('registered', 'checked_in'))::int AS registered,
         count(*) FILTER (WHERE r.status = 'checked_in')::int AS "checkedIn",
         count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
         count(*) FILTER (WHERE r.status = 'waitlisted')::int AS waitlisted
    FROM registrations r JOIN users u ON u.id = r.user_id
   WHERE r.event_id = $1 AND r.event_starts_at = (SELECT start_datetime FROM events WHERE id = $1)
   GROUP BY u.department
   ORDER BY u.department`;

/** Computes one event's stats with two aggregate statements; undefined when the event does not exist. */
export async function computeEventStats(
  manager: EntityManager,
  eventId: string,
): Promise<EventStatsDto | undefined> {
  const [event] = await manager.query<EventRow[]>(EVENT_SQL, [eventId]);
  if (!event) return undefined;
  const departments = await manager.query<DepartmentRow[]>(DEPARTMENT_COUNTS_SQL, [eventId]);
  const sum = (field: Exclude<keyof DepartmentRow, 'department'>): number =>
    departments.reduce((total, row) => total + row[field], 0);
  const checkedIn = sum('checkedIn');
  const byDepartment: DepartmentCountDto[] = departments.map((row) => ({
    department: row.department,
    registrations: row.total - row.cancelled,
    checkedIn: row.checkedIn,
  }));
  return {
    eventId,
    organiserId: event.organiserId,
    capacity: event.capacity,
    total: sum('total'),
    registered: sum('registered'),
    checkedIn,
    cancelled: sum('cancelled'),
    waitlisted: sum('waitlisted'),
    surveyResponses: event.surveyResponses,
    surveyResponseRate: checkedIn === 0 ? 0 : event.surveyResponses / checkedIn,
    byDepartment,
  };
}
