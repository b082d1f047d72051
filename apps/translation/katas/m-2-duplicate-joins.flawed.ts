import { Inject, Injectable } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../src/events/session-events.js';
import type { JoinOutcome, Participant } from '../src/participants/participant.js';
import type { JoinRequest, ParticipantJoins } from '../src/participants/participant-joins.js';
import { JOIN_SQL } from '../src/participants/participants.sql.js';

/*
 * polyglot-a:M-2 — the design's join_session "likely inserts a record into the Participant table", which has "no
 * unique constraint on (session_id, user_id)", and mobile clients replay join_session on every reconnect ("最大5回").
 * Every replay adds a participant row and announces a join: inflated counts, a message delivered and translated
 * once per duplicate. The schema kata takes the unique key away (a surrogate id instead, as the design has it);
 * the provider kata inserts on every join.
 */
export class ParticipantsWithoutUniqueKey1799999999999 implements MigrationInterface {
  name = 'ParticipantsWithoutUniqueKey1799999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE participants DROP CONSTRAINT participants_pkey, ADD COLUMN id bigserial PRIMARY KEY',
    );
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}

const COLUMNS = `session_id AS "sessionId", user_id AS "userId", language,
  to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "joinedAt"`;

const INSERT_SQL = `INSERT INTO participants (session_id, user_id, language) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`;

@Injectable()
export class InsertEveryJoin implements Pick<ParticipantJoins, 'join'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  join(request: JoinRequest): Promise<JoinOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [participant] = await manager.query<Participant[]>(INSERT_SQL, [
        request.sessionId,
        request.userId,
        request.language,
      ]);
      if (!participant) throw new Error('participant insert returned no row');
      await announce(manager, request, participant.language);
      return { participant, changed: true };
    });
  }
}

async function announce(
  manager: DataSource['manager'],
  request: JoinRequest,
  language: string,
): Promise<void> {
  await recordSessionEvent(manager, SESSION_EVENT_TOPICS.participantJoined, {
    sessionId: request.sessionId,
    organisationId: request.organisationId,
    userId: request.userId,
    language,
  });
}

/*
 * Close cousin: the unique key kept, but the join checks for an existing row first and inserts when there is none.
 * Concurrent replays all see no row; all but one then fail on the key (409s the client retries), and a changed
 * language is written whoever sent it.
 */
@Injectable()
export class CheckThenInsertJoin implements Pick<ParticipantJoins, 'join'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  join(request: JoinRequest): Promise<JoinOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query<Participant[]>(
        `SELECT ${COLUMNS} FROM participants WHERE session_id = $1 AND user_id = $2`,
        [request.sessionId, request.userId],
      );
      if (existing?.language === request.language) return { participant: existing, changed: false };
      const [participant] = existing
        ? await manager.query<Participant[]>(
            `WITH switched AS (UPDATE participants SET language = $3 WHERE session_id = $1 AND user_id = $2 RETURNING *)
             SELECT ${COLUMNS} FROM switched`,
            [request.sessionId, request.userId, request.language],
          )
        : await manager.query<Participant[]>(INSERT_SQL, [
            request.sessionId,
            request.userId,
            request.language,
          ]);
      if (!participant) throw new Error('participant write returned no row');
      await announce(manager, request, participant.language);
      return { participant, changed: true };
    });
  }
}

/*
 * Close cousin: the service's upsert without the client's idempotency key, so a late duplicate of an old join is
 * taken for a new one and switches the participant back to the old language.
 */
@Injectable()
export class UpsertIgnoringIdempotencyKey implements Pick<ParticipantJoins, 'join'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  join(request: JoinRequest): Promise<JoinOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [changed] = await manager.query<Participant[]>(JOIN_SQL, [
        request.sessionId,
        request.userId,
        request.language,
      ]);
      if (changed) {
        await announce(manager, request, changed.language);
        return { participant: changed, changed: true };
      }
      const [current] = await manager.query<Participant[]>(
        `SELECT ${COLUMNS} FROM participants WHERE session_id = $1 AND user_id = $2`,
        [request.sessionId, request.userId],
      );
      if (!current) throw new Error('participant vanished during the join');
      return { participant: current, changed: false };
    });
  }
}
