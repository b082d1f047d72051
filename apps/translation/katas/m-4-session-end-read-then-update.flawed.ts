import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordSessionEvent, SESSION_EVENT_TOPICS } from '../src/events/session-events.js';
import type { Session, SessionTransition } from '../src/sessions/session.js';
import type { SessionEnding } from '../src/sessions/session-ending.js';
import { SESSION_BY_ID_SQL, SESSION_COLUMNS } from '../src/sessions/sessions.sql.js';

/*
 * polyglot-a:M-4 — the design ends a session by reading `ended_at` and, when it is still NULL, running
 * `UPDATE Session SET ended_at = NOW() WHERE id = ?` and announcing the end: "Two requests read ended_at = NULL,
 * both believe they are the last participant. Both attempt to UPDATE … no optimistic locking (version column) or
 * transaction isolation specification", so every caller that read before the first write announces an end.
 * Plugged into SessionEnding; the rest of the service (cache, HTTP, outbox) is the real one.
 */
const UNCONDITIONAL_END_SQL = `
WITH ended AS (
  UPDATE sessions SET status = 'ended', ended_at = now(), started_at = coalesce(started_at, now())
   WHERE id = $1
  RETURNING *
)
SELECT ${SESSION_COLUMNS} FROM ended`;

@Injectable()
export class ReadThenUpdateSessionEnding implements Pick<SessionEnding, 'end'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async end(sessionId: string, organisationId: string): Promise<SessionTransition | null> {
    const [current] = await this.dataSource.query<Session[]>(SESSION_BY_ID_SQL, [sessionId]);
    if (current?.organisationId !== organisationId) return null;
    if (current.endedAt !== null) return { session: current, changed: false };
    return this.dataSource.transaction(async (manager) => endAndAnnounce(manager, sessionId, organisationId));
  }
}

async function endAndAnnounce(
  manager: DataSource['manager'],
  sessionId: string,
  organisationId: string,
): Promise<SessionTransition> {
  const [ended] = await manager.query<Session[]>(UNCONDITIONAL_END_SQL, [sessionId]);
  if (!ended) throw new Error(`session ${sessionId} vanished while ending`);
  await recordSessionEvent(manager, SESSION_EVENT_TOPICS.ended, { sessionId, organisationId });
  return { session: ended, changed: true };
}

/* Close cousin: the check and the write inside one READ COMMITTED transaction, still without a lock or condition. */
@Injectable()
export class CheckInTransactionSessionEnding implements Pick<SessionEnding, 'end'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  end(sessionId: string, organisationId: string): Promise<SessionTransition | null> {
    return this.dataSource.transaction(async (manager) => {
      const [current] = await manager.query<Session[]>(SESSION_BY_ID_SQL, [sessionId]);
      if (current?.organisationId !== organisationId) return null;
      if (current.endedAt !== null) return { session: current, changed: false };
      return endAndAnnounce(manager, sessionId, organisationId);
    });
  }
}

/* Close cousin: the service's one-statement end with the `status <> 'ended'` condition dropped. */
@Injectable()
export class UnconditionalUpdateSessionEnding implements Pick<SessionEnding, 'end'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  end(sessionId: string, organisationId: string): Promise<SessionTransition | null> {
    return this.dataSource.transaction(async (manager) => {
      const [current] = await manager.query<Session[]>(SESSION_BY_ID_SQL, [sessionId]);
      if (current?.organisationId !== organisationId) return null;
      return endAndAnnounce(manager, sessionId, organisationId);
    });
  }
}
