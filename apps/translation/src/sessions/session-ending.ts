import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../events/session-events.js';
import type { Session, SessionTransition } from './session.js';
import { END_SESSION_SQL, SESSION_BY_ID_SQL } from './sessions.sql.js';

/**
 * Ends a session exactly once however many callers end it at the same moment (polyglot-a:M-4): one conditional
 * UPDATE (`status <> 'ended'`) decides under the row lock, and the "ended" event is written in the same
 * transaction only when that UPDATE changed the row. Every other caller gets the ended session back (an end is
 * idempotent, 200) and no event. The seam the M-4 proof plugs the review's read-then-update into.
 */
@Injectable()
export class SessionEnding {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** null when the organisation has no such session. */
  end(sessionId: string, organisationId: string): Promise<SessionTransition | null> {
    return this.dataSource.transaction(async (manager) => {
      const [ended] = await manager.query<Session[]>(END_SESSION_SQL, [sessionId, organisationId]);
      if (ended) {
        await recordSessionEvent(manager, SESSION_EVENT_TOPICS.ended, { sessionId, organisationId });
        return { session: ended, changed: true };
      }
      const [current] = await manager.query<Session[]>(SESSION_BY_ID_SQL, [sessionId]);
      return current?.organisationId === organisationId ? { session: current, changed: false } : null;
    });
  }
}
