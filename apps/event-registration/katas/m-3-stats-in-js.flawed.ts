import type pg from 'pg';

export interface JsEventStats {
  total: number;
  registered: number;
  checkedIn: number;
  cancelled: number;
  waitlisted: number;
  surveyResponses: number;
  byDepartment: Record<string, number>;
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
 * Rows transferred grow with the event's size: O(registrations) rows, O(n) memory and JS work.
 */
export async function getEventStats(
  pool: pg.Pool,
  eventId: string,
): Promise<{ stats: JsEventStats; rowsTransferred: number }> {
  const registrations = (
    await pool.query<{ status: string; department: string }>(
      `SELECT r.*, u.department, u.name, u.email
         FROM registrations r JOIN users u ON r.user_id = u.id
        WHERE r.event_id = $1`,
      [eventId],
    )
  ).rows;
  const responses = (await pool.query('SELECT * FROM survey_responses WHERE event_id = $1', [eventId])).rows;

  const statsByDepartment: Record<string, number> = {};
  let registered = 0;
  let checkedIn = 0;
  let cancelled = 0;
  let waitlisted = 0;
  registrations.forEach((reg) => {
    if (reg.status === 'cancelled') {
      cancelled++;
      return;
    }
    if (reg.status === 'waitlisted') waitlisted++;
    if (reg.status === 'registered' || reg.status === 'checked_in') registered++;
    if (reg.status === 'checked_in') checkedIn++;
    if (!statsByDepartment[reg.department]) {
      statsByDepartment[reg.department] = 0;
    }
    statsByDepartment[reg.department] = statsByDepartment[reg.department]! + 1;
  });
  return {
    stats: {
      total: registrations.length,
      registered,
      checkedIn,
      cancelled,
      waitlisted,
      surveyResponses: responses.length,
      byDepartment: statsByDepartment,
    },
    rowsTransferred: registrations.length + responses.length,
  };
}
