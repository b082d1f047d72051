import type pg from 'pg';
import { REGISTRATION_COLUMNS, type RegistrationRow } from '../src/registrations/registration-row.js';
import type { RegistrationStatus } from '../src/registrations/registration-status.js';
import { assertTransition, RegistrationTransitions } from '../src/registrations/registration-transitions.js';

/*
 * events:M-2 — cancel and check-in as the reviewed design leaves them: read the registration, check its
 * status in the application, write the new status. No version, no status in the UPDATE's WHERE: the last
 * writer wins, and both callers are told they succeeded.
 *
 * UnlockedTransitions takes RegistrationTransitions' place in the service, so DELETE /registrations/:id and
 * POST /checkin run as in production with the review's read-check-write behind them.
 */
export type Transitions = Pick<RegistrationTransitions, 'load' | 'apply'>;

const STAMP: Partial<Record<RegistrationStatus, string>> = {
  cancelled: 'cancelled_at',
  checked_in: 'checked_in_at',
};

function stampOf(to: RegistrationStatus): string {
  const stamp = STAMP[to];
  return stamp ? `, ${stamp} = now()` : '';
}

export class UnlockedTransitions extends RegistrationTransitions {
  // Optimistic locking: the UPDATE names the version and status the decision was made on, so of two
  // concurrent transitions only the first to commit matches a row. The other gets none back (undefined), and
  // the service re-reads and decides again instead of overwriting.
  override async apply(
    client: pg.PoolClient,
    current: RegistrationRow,
    to: RegistrationStatus,
  ): Promise<RegistrationRow | undefined> {
    assertTransition(current, to);
    const { rows } = await client.query<RegistrationRow>(
      `UPDATE registrations SET status = $1, version = version + 1, updated_at = now()${stampOf(to)}
        WHERE id = $2 AND event_starts_at = $3 AND version = $4 AND status = $5
       RETURNING ${REGISTRATION_COLUMNS}`,
      [to, current.id, current.event_starts_at, current.version, current.status],
    );
    return rows[0];
  }
}

/*
 * Close cousins, each put back into the remediated service in RegistrationTransitions' place.
 */

/** The optimistic UPDATE, but a miss (no row matched) is reported as success instead of re-read. */
export class MissTreatedAsSuccessTransitions extends RegistrationTransitions {
  override async apply(
    client: pg.PoolClient,
    current: RegistrationRow,
    to: RegistrationStatus,
  ): Promise<RegistrationRow> {
    return (
      (await super.apply(client, current, to)) ?? { ...current, status: to, version: current.version + 1 }
    );
  }
}

/** On a version conflict, retry the UPDATE with the version read again, without deciding again. */
export class FreshVersionRetryTransitions extends RegistrationTransitions {
  override async apply(
    client: pg.PoolClient,
    current: RegistrationRow,
    to: RegistrationStatus,
  ): Promise<RegistrationRow | undefined> {
    const row = await super.apply(client, current, to);
    if (row) return row;
    const { rows } = await client.query<RegistrationRow>(
      `SELECT ${REGISTRATION_COLUMNS} FROM registrations WHERE id = $1`,
      [current.id],
    );
    const fresh = rows[0];
    if (!fresh) return undefined;
    assertTransition(current, to);
    const updated = await client.query<RegistrationRow>(
      `UPDATE registrations SET status = $3, version = version + 1, updated_at = now()${stampOf(to)}
        WHERE id = $1 AND version = $2 RETURNING ${REGISTRATION_COLUMNS}`,
      [current.id, fresh.version, to],
    );
    return updated.rows[0];
  }
}
