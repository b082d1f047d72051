import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_HEADER } from '@remedy/outbox';
import type pg from 'pg';
import { isUniqueViolation } from './pg-transaction.js';
import { PerKeyBatches } from './per-key-batches.js';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import { RegistrationChanges } from './registration-changes.js';
import { REGISTER_BATCH_SQL } from './register-batch.sql.js';
import { REGISTER_SQL } from './register.sql.js';
import type { RegistrationRow } from './registration-row.js';

const MAX_ATTEMPTS = 3;
/* Callers of one event written by one statement at most: bounds the statement's time under the event lock. */
const MAX_BATCH = 100;

interface Caller {
  userId: string;
  /** The outbox message's headers (JSON). */
  headers: string;
}

interface EventState {
  status: string;
  remaining_capacity: number;
  started: boolean;
}

/**
 * POST /events/:id/registrations: a seat if one is left, else a waitlist place, with its outbox message, in
 * one statement. The callers of one event that arrive while a statement for it runs are written together by
 * the next one (REGISTER_BATCH_SQL): in a rush, the event row is locked and committed once per batch instead
 * of once per caller. A caller the batch leaves out (a duplicate, an event that is not open) goes through
 * REGISTER_SQL alone, which says why; so does every caller of a batch that hit a unique violation. At most
 * three tries there: a seat freed while the statement waited for the event lock is retried.
 */
@Injectable()
export class RegisterService {
  private readonly batches = new PerKeyBatches<Caller, RegistrationRow | undefined>(
    MAX_BATCH,
    (eventId, callers) => this.registerBatch(eventId, callers),
  );

  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: pg.Pool,
    private readonly changes: RegistrationChanges,
  ) {}

  /** Registrations waiting for a statement of their event to finish before theirs starts. */
  get waitingCalls(): number {
    return this.batches.waiting;
  }

  async register(eventId: string, userId: string, correlationId?: string): Promise<RegistrationRow> {
    const headers = outboxHeaders(correlationId);
    const registration =
      (await this.batches.add(eventId, { userId, headers })) ??
      (await this.registerOnce(eventId, userId, headers));
    await this.changes.committed(eventId);
    return registration;
  }

  /** One row per caller, in order: its registration, or undefined for one to register alone. */
  private async registerBatch(
    eventId: string,
    callers: Caller[],
  ): Promise<Array<RegistrationRow | undefined>> {
    // A user twice in one batch (a double click): the second goes alone, after the first is written.
    const users = new Set<string>();
    const first = new Set(callers.filter((caller) => !users.has(caller.userId) && users.add(caller.userId)));
    let rows: RegistrationRow[];
    try {
      ({ rows } = await this.pool.query<RegistrationRow>({
        name: 'register-batch',
        text: REGISTER_BATCH_SQL,
        values: [eventId, [...users], [...first].map((caller) => caller.headers)],
      }));
    } catch (error) {
      if (isUniqueViolation(error)) return callers.map(() => undefined);
      throw error;
    }
    const byUser = new Map(rows.map((row) => [row.user_id, row]));
    return callers.map((caller) => (first.has(caller) ? byUser.get(caller.userId) : undefined));
  }

  private async registerOnce(eventId: string, userId: string, headers: string): Promise<RegistrationRow> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      try {
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

function outboxHeaders(correlationId: string | undefined): string {
  return JSON.stringify({ [CORRELATION_ID_HEADER]: correlationId ?? randomUUID() });
}
