import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import { RegistrationChanges } from './registration-changes.js';
import type { RegistrationRow } from './registration-row.js';
import { concurrentModification, RegistrationTransitions } from './registration-transitions.js';
import { promoteWaitlist } from './waitlist-promotion.js';

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
    await client.query(
      'UPDATE events SET remaining_capacity = remaining_capacity + 1, updated_at = now() WHERE id = $1',
      [eventId],
    );
    await promoteWaitlist(client, eventId);
  }
}
