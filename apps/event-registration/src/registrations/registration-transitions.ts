import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type pg from 'pg';
import { PRIMARY_POOL } from './primary-pool.provider.js';
import { REGISTRATION_COLUMNS, type RegistrationRow } from './registration-row.js';
import { canTransition, type RegistrationStatus } from './registration-status.js';

const TIMESTAMP_COLUMN: Partial<Record<RegistrationStatus, string>> = {
  cancelled: 'cancelled_at',
  checked_in: 'checked_in_at',
};

export function assertTransition(current: RegistrationRow, to: RegistrationStatus): void {
  if (!canTransition(current.status, to)) {
    throw new ConflictException(`registration ${current.id} is ${current.status} and cannot become ${to}`);
  }
}

/**
 * How a registration moves between states (events:M-2), for cancel and check-in alike: read it, decide on
 * what was read, then apply the move. An injectable so both services share one implementation.
 */
@Injectable()
export class RegistrationTransitions {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: pg.Pool) {}

  /** The registration as it is now: what a transition is decided on. */
  async load(id: string): Promise<RegistrationRow> {
    const { rows } = await this.pool.query<RegistrationRow>(
      `SELECT ${REGISTRATION_COLUMNS} FROM registrations WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new NotFoundException(`registration ${id} not found`);
    return rows[0];
  }

  /**
   * One optimistic-locked move: the UPDATE names the version and status it read, so of two concurrent
   * transitions only the first to commit matches; the other gets no row back (`undefined`) and must re-read
   * and decide again, never overwrite.
   */
  async apply(
    client: pg.PoolClient,
    current: RegistrationRow,
    to: RegistrationStatus,
  ): Promise<RegistrationRow | undefined> {
    assertTransition(current, to);
    const stamp = TIMESTAMP_COLUMN[to];
    const { rows } = await client.query<RegistrationRow>(
      `UPDATE registrations
          SET status = $4, version = version + 1, updated_at = now()${stamp ? `, ${stamp} = now()` : ''}
        WHERE id = $1 AND event_starts_at = $2 AND version = $3 AND status = $5
        RETURNING ${REGISTRATION_COLUMNS}`,
      [current.id, current.event_starts_at, current.version, to, current.status],
    );
    return rows[0];
  }
}

export function concurrentModification(id: string): ConflictException {
  return new ConflictException(
    `registration ${id} was changed by another request at the same time; reload it and try again`,
  );
}
