import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_HEADER } from '@remedy/outbox';
import type pg from 'pg';
import { isUniqueViolation } from './pg-transaction.js';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import { RegistrationChanges } from './registration-changes.js';
import { REGISTER_SQL } from './register.sql.js';
import type { RegistrationRow } from './registration-row.js';

const MAX_ATTEMPTS = 3;

interface EventState {
  status: string;
  remaining_capacity: number;
  started: boolean;
}

/**
 * POST /events/:id/registrations: a seat if one is left, else a waitlist place, with its outbox message, in
 * one statement. At most three tries: a seat freed while the statement waited for the event lock is retried.
 */
@Injectable()
export class RegisterService {
  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: pg.Pool,
    private readonly changes: RegistrationChanges,
  ) {}

  async register(eventId: string, userId: string, correlationId?: string): Promise<RegistrationRow> {
    const registration = await this.registerOnce(eventId, userId, correlationId);
    await this.changes.committed(eventId);
    return registration;
  }

  private async registerOnce(
    eventId: string,
    userId: string,
    correlationId?: string,
  ): Promise<RegistrationRow> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      try {
        const headers = JSON.stringify({ [CORRELATION_ID_HEADER]: correlationId ?? randomUUID() });
        const { rows } = await this.pool.query<RegistrationRow>({
          // Named: each connection parses and plans the statement once, then only binds and executes it.
          name: 'register',
          text: REGISTER_SQL,
          values: [eventId, userId, headers],
        });
        const row = rows[0];
        if (row) return row;
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictException('you already have a registration for this event');
        }
        throw error;
      }
      await this.explainRefusal(eventId);
    }
    throw new ConflictException('the event changed while registering; please retry');
  }

  /** Neither a seat nor a waitlist place: say why, or return to retry if a seat was freed meanwhile. */
  private async explainRefusal(eventId: string): Promise<void> {
    const { rows } = await this.pool.query<EventState>(
      `SELECT status, remaining_capacity, start_datetime <= now() AS started FROM events WHERE id = $1`,
      [eventId],
    );
    const event = rows[0];
    if (!event) throw new NotFoundException(`event ${eventId} not found`);
    if (event.status !== 'published') {
      throw new ConflictException(`event ${eventId} is ${event.status}, not open for registration`);
    }
    if (event.started) throw new ConflictException(`event ${eventId} has already started`);
  }
}
