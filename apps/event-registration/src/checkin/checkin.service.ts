import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthenticatedUser } from '@remedy/auth';
import type pg from 'pg';
import QRCode from 'qrcode';
import { inTransaction } from '../registrations/pg-transaction.js';
import { PRIMARY_POOL } from '../registrations/primary-pool.provider.js';
import { RegistrationChanges } from '../registrations/registration-changes.js';
import type { RegistrationRow } from '../registrations/registration-row.js';
import {
  concurrentModification,
  RegistrationTransitions,
} from '../registrations/registration-transitions.js';
import { CheckinTokens } from './checkin-tokens.js';

export interface CheckinOutcome {
  registration: RegistrationRow;
  alreadyCheckedIn: boolean;
}

const ATTEMPTS = 2;

/** The attendee's QR code and the organiser's scan (events:m-1), with the transition rules of events:M-2. */
@Injectable()
export class CheckinService {
  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: pg.Pool,
    private readonly tokens: CheckinTokens,
    private readonly changes: RegistrationChanges,
    private readonly transitions: RegistrationTransitions,
  ) {}

  async qrFor(
    registrationId: string,
    userId: string,
  ): Promise<{ token: string; qrDataUrl: string; expiresAt: Date }> {
    const registration = await this.transitions.load(registrationId);
    if (registration.user_id !== userId)
      throw new NotFoundException(`registration ${registrationId} not found`);
    if (registration.status !== 'registered' && registration.status !== 'checked_in') {
      throw new ConflictException(
        `registration ${registrationId} is ${registration.status}: no check-in code`,
      );
    }
    const { rows } = await this.pool.query<{ end_datetime: Date }>(
      'SELECT end_datetime FROM events WHERE id = $1',
      [registration.event_id],
    );
    const issued = await this.tokens.issue(
      { registrationId, eventId: registration.event_id },
      rows[0]?.end_datetime ?? new Date(),
    );
    const qrDataUrl = await QRCode.toDataURL(issued.token, { errorCorrectionLevel: 'M', margin: 1 });
    return { ...issued, qrDataUrl };
  }

  async checkIn(token: string, organiser: AuthenticatedUser, deskEventId?: string): Promise<CheckinOutcome> {
    const claims = await this.tokens.verify(token);
    if (deskEventId !== undefined && deskEventId !== claims.eventId) {
      throw new ForbiddenException('this check-in code is for another event');
    }
    await this.assertOrganiserOf(claims.eventId, organiser.id);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const current = await this.transitions.load(claims.registrationId);
      if (current.event_id !== claims.eventId)
        throw new ForbiddenException('this check-in code is for another event');
      if (current.status === 'checked_in') return { registration: current, alreadyCheckedIn: true };
      const checkedIn = await inTransaction(this.pool, (client) =>
        this.transitions.apply(client, current, 'checked_in'),
      );
      if (checkedIn) {
        await this.changes.committed(checkedIn.event_id);
        return { registration: checkedIn, alreadyCheckedIn: false };
      }
    }
    throw concurrentModification(claims.registrationId);
  }

  private async assertOrganiserOf(eventId: string, userId: string): Promise<void> {
    const { rows } = await this.pool.query<{ organiser_id: string }>(
      'SELECT organiser_id FROM events WHERE id = $1',
      [eventId],
    );
    if (!rows[0]) throw new NotFoundException(`event ${eventId} not found`);
    if (rows[0].organiser_id !== userId)
      throw new ForbiddenException('only the organiser of this event can check in');
  }
}
