import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../events/session-events.js';
import { JoinKeys } from './join-keys.js';
import type { JoinOutcome, Participant } from './participant.js';
import { JOIN_REPLAY_SQL, JOIN_SQL, PARTICIPANT_SQL } from './participants.sql.js';

export interface JoinRequest {
  sessionId: string;
  organisationId: string;
  userId: string;
  language: string;
  /** The client's key for this join; its retries and reconnect replays carry the same one. */
  idempotencyKey: string | undefined;
}

/**
 * Joins are idempotent (polyglot-a:M-2): the (session, user) key makes a duplicate row impossible, the upsert
 * turns a replayed join into a no-op (200 with the participant, never a 409 the client would retry), and a
 * replayed idempotency key can never switch the language back. The "joined" event is written in the same
 * transaction, only when the row was added or its language changed: one per real change, so a participant is
 * never counted or delivered to twice. The seam the M-2 proof plugs the review's plain INSERT into.
 */
@Injectable()
export class ParticipantJoins {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(JoinKeys) private readonly joinKeys: JoinKeys,
  ) {}

  async join(request: JoinRequest): Promise<JoinOutcome> {
    const replay =
      request.idempotencyKey !== undefined &&
      !(await this.joinKeys.firstUse(request.sessionId, request.userId, request.idempotencyKey));
    const parameters = [request.sessionId, request.userId, request.language];
    return this.dataSource.transaction(async (manager) => {
      // A leave that commits between the upsert and the read removes the row the upsert found: join again.
      for (let attempt = 0; ; attempt += 1) {
        const sql = replay && attempt === 0 ? JOIN_REPLAY_SQL : JOIN_SQL;
        const [changed] = await manager.query<(Participant & { changed: boolean })[]>(sql, parameters);
        if (changed) {
          const { changed: _changed, ...participant } = changed;
          await recordSessionEvent(manager, SESSION_EVENT_TOPICS.participantJoined, {
            sessionId: request.sessionId,
            organisationId: request.organisationId,
            userId: request.userId,
            language: participant.language,
          });
          return { participant, changed: true };
        }
        const [current] = await manager.query<Participant[]>(PARTICIPANT_SQL, [
          request.sessionId,
          request.userId,
        ]);
        if (current) return { participant: current, changed: false };
        if (attempt > 0) throw new Error('the participant vanished twice during one join');
      }
    });
  }
}
