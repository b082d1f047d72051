import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { writeOutboxMessage } from '@remedy/outbox';
import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import { RegistrationChanges } from './registration-changes.js';
import type { RegistrationRow } from './registration-row.js';
import { REGISTRATION_TOPICS, type RegistrationMessage } from './registration-topics.js';
import { concurrentModification, RegistrationTransitions } from './registration-transitions.js';

/* The first waitlisted registration of the event; SKIP LOCKED so two cancels never promote the same one. */
const PROMOTE_NEXT_SQL = `
WITH next AS (
  SELECT id, event_starts_at FROM registrations
   WHERE event_id = $1 AND status = 'waitlisted'
   ORDER BY registered_at, id
   LIMIT 1
   FOR UPDATE SKIP LOCKED
)
UPDATE registrations r
   SET status = 'registered', version = r.version + 1, updated_at = now()
  FROM next
 WHERE r.id = next.id AND r.event_starts_at = next.event_starts_at
RETURNING r.id, r.user_id`;

/** Version conflicts are retried once: the retry re-reads and re-validates, so it can never overwrite. */
const ATTEMPTS = 2;

/** DELETE /registrations/:id: cancel, and hand the seat to the first waitlisted person in the same transaction. */
@Injectable()
export class CancelRegistrationService {
  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: pg.Pool,
    private readonly changes: RegistrationChanges,
    private readonly transitions: RegistrationTransitions,
  ) {}

  async cancel(registrationId: string, userId: string): Promise<RegistrationRow> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const current = await this.transitions.load(registrationId);
      if (current.user_id !== userId) throw new NotFoundException(`registration ${registrationId} not found`);
      if (current.status === 'cancelled') return current;
      const cancelled = await inTransaction(this.pool, async (client) => {
        const row = await this.transitions.apply(client, current, 'cancelled');
        if (row && current.status === 'registered') await this.releaseSeat(client, row.event_id);
        return row;
      });
      if (cancelled) {
        await this.changes.committed(cancelled.event_id);
        return cancelled;
      }
    }
    throw concurrentModification(registrationId);
  }

  private async releaseSeat(client: pg.PoolClient, eventId: string): Promise<void> {
    // The event row lock orders this cancel against a concurrent waitlist join (see RegisterService).
    await client.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [eventId]);
    const promoted = await client.query<{ id: string; user_id: string }>(PROMOTE_NEXT_SQL, [eventId]);
    const next = promoted.rows[0];
    if (!next) {
      await client.query(
        'UPDATE events SET remaining_capacity = remaining_capacity + 1, updated_at = now() WHERE id = $1',
        [eventId],
      );
      return;
    }
    const message: RegistrationMessage = { registrationId: next.id, eventId, userId: next.user_id };
    await writeOutboxMessage(
      client,
      { topic: REGISTRATION_TOPICS.promoted, payload: message },
      { notify: false },
    );
  }
}
