import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../events/session-events.js';
import type { Session } from './session.js';
import { SessionCache } from './session-cache.js';
import { SessionEnding } from './session-ending.js';
import { SESSION_PAGES, SESSIONS_SORT } from './sessions.policy.js';
import {
  INSERT_SESSION_SQL,
  organisationSessionsPageSql,
  SESSION_BY_ID_SQL,
  START_SESSION_SQL,
} from './sessions.sql.js';

export interface NewSession {
  title: string;
  sourceLanguage: string;
}

/**
 * Sessions of the caller's organisation: create, look up (cached, polyglot-b:M-1), start and end (once,
 * polyglot-a:M-4). A session of another organisation is a 404, never a 403: its existence is not disclosed.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionCache) private readonly cache: SessionCache,
    @Inject(SessionEnding) private readonly ending: SessionEnding,
  ) {}

  async create(organiser: Member, session: NewSession): Promise<Session> {
    const [created] = await this.dataSource.query<Session[]>(INSERT_SESSION_SQL, [
      organiser.organisationId,
      organiser.id,
      session.title,
      session.sourceLanguage,
    ]);
    if (!created) throw new Error('session insert returned no row');
    return created;
  }

  /** The session if it belongs to the member's organisation; 404 otherwise. */
  async get(member: Member, sessionId: string): Promise<Session> {
    const session = await this.cache.read(sessionId, async () => {
      const [row] = await this.dataSource.query<Session[]>(SESSION_BY_ID_SQL, [sessionId]);
      return row ?? null;
    });
    if (session?.organisationId !== member.organisationId) throw sessionNotFound(sessionId);
    return session;
  }

  async page(
    member: Member,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<Session>> {
    const page = buildKeysetSql(
      {
        sort: SESSIONS_SORT,
        scope: { endpoint: 'GET /sessions', filter: { organisationId: member.organisationId } },
        cursor: cursor ?? null,
        ...(limit === undefined ? {} : { limit }),
        ...SESSION_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<Session[]>(organisationSessionsPageSql(page), [
      member.organisationId,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }

  /** Starts a scheduled session; a live one is returned as it is; an ended one cannot start again (409). */
  async start(organiser: Member, sessionId: string): Promise<Session> {
    const started = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<Session[]>(START_SESSION_SQL, [sessionId, organiser.organisationId]);
      if (row) {
        await recordSessionEvent(manager, SESSION_EVENT_TOPICS.started, {
          sessionId,
          organisationId: organiser.organisationId,
        });
      }
      return row;
    });
    if (started) {
      await this.cache.replace(started);
      return started;
    }
    const current = await this.get(organiser, sessionId);
    if (current.status === 'ended') throw new ConflictException(`session ${sessionId} has ended`);
    return current;
  }

  /** Ends the session once; ending an ended session returns it unchanged. */
  async end(organiser: Member, sessionId: string): Promise<Session> {
    const transition = await this.ending.end(sessionId, organiser.organisationId);
    if (!transition) throw sessionNotFound(sessionId);
    if (transition.changed) await this.cache.replace(transition.session);
    return transition.session;
  }
}

export function sessionNotFound(sessionId: string): NotFoundException {
  return new NotFoundException(`session ${sessionId} not found`);
}
