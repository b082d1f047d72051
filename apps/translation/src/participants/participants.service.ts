import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../events/session-events.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Participant, SessionLanguage } from './participant.js';
import { ParticipantJoins } from './participant-joins.js';
import { PARTICIPANT_PAGES, PARTICIPANTS_SORT } from './participants.policy.js';
import { LEAVE_SQL, participantsPageSql, SESSION_LANGUAGES_SQL } from './participants.sql.js';

/** Joining and leaving sessions of the member's organisation, and who follows a session in which language. */
@Injectable()
export class ParticipantsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(ParticipantJoins) private readonly joins: ParticipantJoins,
  ) {}

  /** Joins (or switches language); 409 once the session has ended. */
  async join(
    member: Member,
    sessionId: string,
    language: string,
    idempotencyKey?: string,
  ): Promise<Participant> {
    const session = await this.sessions.get(member, sessionId);
    if (session.status === 'ended') throw new ConflictException(`session ${sessionId} has ended`);
    const outcome = await this.joins.join({
      sessionId,
      organisationId: member.organisationId,
      userId: member.id,
      language,
      idempotencyKey,
    });
    return outcome.participant;
  }

  /** Leaving a session one is not in is a 404; the "left" event is written with the delete. */
  async leave(member: Member, sessionId: string): Promise<void> {
    await this.sessions.get(member, sessionId);
    const left = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<Participant[]>(LEAVE_SQL, [sessionId, member.id]);
      if (row) {
        await recordSessionEvent(manager, SESSION_EVENT_TOPICS.participantLeft, {
          sessionId,
          organisationId: member.organisationId,
          userId: member.id,
        });
      }
      return row;
    });
    if (!left) throw new NotFoundException(`you are not a participant of session ${sessionId}`);
  }

  async languages(member: Member, sessionId: string): Promise<SessionLanguage[]> {
    await this.sessions.get(member, sessionId);
    return this.dataSource.query<SessionLanguage[]>(SESSION_LANGUAGES_SQL, [sessionId]);
  }

  async page(
    member: Member,
    sessionId: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<Participant>> {
    await this.sessions.get(member, sessionId);
    const page = buildKeysetSql(
      {
        sort: PARTICIPANTS_SORT,
        scope: { endpoint: 'GET /sessions/:id/participants', filter: { sessionId } },
        cursor: cursor ?? null,
        ...(limit === undefined ? {} : { limit }),
        ...PARTICIPANT_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<Participant[]>(participantsPageSql(page), [
      sessionId,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }
}
