/** The events columns under their API names, for raw SQL that returns events (RETURNING, joins). */
export const EVENT_COLUMNS = `
  id, organiser_id AS "organiserId", title, description, category, status,
  start_datetime AS "startDatetime", end_datetime AS "endDatetime", timezone, venue, capacity,
  remaining_capacity AS "remainingCapacity", version, created_at AS "createdAt", updated_at AS "updatedAt"`;
