import { ConflictException } from '@nestjs/common';
import type pg from 'pg';
import { inTransaction } from '../src/registrations/pg-transaction.js';
import type { RegisterService } from '../src/registrations/register.service.js';
import { REGISTRATION_COLUMNS, type RegistrationRow } from '../src/registrations/registration-row.js';

/*
 * events:C-1 — the review's registration flow (Section 6.1, lines 188-205), check-then-act with no lock
 * and no transaction isolation:
 *
 *   const registrations = await registrationRepository.findByEventId(eventId);
 *   if (registrations.length >= event.capacity) throw new Error('Event is full');
 *   const registration = await registrationRepository.create({...});
 *
 * Every concurrent caller reads the same count before any insert commits, so all of them pass the check.
 * CountThenInsertRegisterService takes RegisterService's place behind POST /events/:id/registrations.
 */
export type Registrar = Pick<RegisterService, 'register'>;

interface EventRow {
  capacity: number;
  start_datetime: Date;
}

type Db = Pick<pg.Pool, 'query'>;

async function eventOf(db: Db, eventId: string): Promise<EventRow> {
  const { rows } = await db.query<EventRow>('SELECT capacity, start_datetime FROM events WHERE id = $1', [
    eventId,
  ]);
  if (!rows[0]) throw new Error(`event ${eventId} not found`);
  return rows[0];
}

async function insertRegistration(db: Db, eventId: string, userId: string, event: EventRow) {
  const { rows } = await db.query<RegistrationRow>(
    `INSERT INTO registrations (event_id, user_id, event_starts_at, status) VALUES ($1, $2, $3, 'registered')
     RETURNING ${REGISTRATION_COLUMNS}`,
    [eventId, userId, event.start_datetime],
  );
  return rows[0]!;
}

export class CountThenInsertRegisterService implements Registrar {
  constructor(private readonly pool: pg.Pool) {}

  async register(eventId: string, userId: string): Promise<RegistrationRow> {
    const event = await eventOf(this.pool, eventId);
    // The seat is taken by a conditional UPDATE that feeds the INSERT, in one statement: the event row's lock
    // orders concurrent callers, and each sees the count the previous one left (ADR 0010).
    const { rows } = await this.pool.query<RegistrationRow>(
      `WITH seat AS (
         UPDATE events SET remaining_capacity = remaining_capacity - 1
          WHERE id = $1 AND remaining_capacity > 0 RETURNING id)
       INSERT INTO registrations (event_id, user_id, event_starts_at, status)
       SELECT $1, $2, $3, 'registered' FROM seat
       RETURNING ${REGISTRATION_COLUMNS}`,
      [eventId, userId, event.start_datetime],
    );
    if (!rows[0]) throw new ConflictException('Event is full');
    return rows[0];
  }
}

/*
 * Close cousins, each put back into the remediated service in RegisterService's place.
 */

/** The same count and insert inside one READ COMMITTED transaction: the transaction takes no lock. */
export class CheckInTransactionRegisterService implements Registrar {
  constructor(private readonly pool: pg.Pool) {}

  register(eventId: string, userId: string): Promise<RegistrationRow> {
    return inTransaction(this.pool, async (client) => {
      const event = await eventOf(client, eventId);
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM registrations WHERE event_id = $1 AND status = 'registered'",
        [eventId],
      );
      if (rows[0]!.n >= event.capacity) throw new ConflictException('Event is full');
      return insertRegistration(client, eventId, userId, event);
    });
  }
}

/** A transaction that locks the registrations it counts (FOR UPDATE): rows not yet inserted are not locked. */
export class LockCountedRowsRegisterService implements Registrar {
  constructor(private readonly pool: pg.Pool) {}

  register(eventId: string, userId: string): Promise<RegistrationRow> {
    return inTransaction(this.pool, async (client) => {
      const event = await eventOf(client, eventId);
      const { rows } = await client.query(
        "SELECT id FROM registrations WHERE event_id = $1 AND status = 'registered' FOR UPDATE",
        [eventId],
      );
      if (rows.length >= event.capacity) throw new ConflictException('Event is full');
      return insertRegistration(client, eventId, userId, event);
    });
  }
}
