import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SessionLanguage } from '../src/participants/participant.js';
import { SESSION_LANGUAGES_SQL } from '../src/participants/participants.sql.js';
import { SessionLanguages } from '../src/participants/session-languages.js';

/*
 * polyglot-a:S-3, polyglot-b:C-1 — "translate into each participant's language" done as review a reads it:
 *
 *   for participant in session.participants:
 *       target_lang = db.query(Participant).filter_by(id=participant.id).first().language
 *
 * one query for the session's participants, then one per participant for its language (1 + N statements for every
 * message; 51 in a 50-participant session). Plugged in as SessionLanguages: the delivery still groups the
 * languages it is given, so only the statements differ. Nothing is cached, so nothing needs invalidating.
 */
@Injectable()
export class PerParticipantLanguageQueries implements Pick<SessionLanguages, 'of' | 'invalidate'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async of(sessionId: string): Promise<SessionLanguage[]> {
    const participants: Array<{ user_id: string }> = await this.dataSource.query(
      'SELECT user_id FROM participants WHERE session_id = $1',
      [sessionId],
    );
    const followers = new Map<string, number>();
    for (const participant of participants) {
      const [row]: Array<{ language: string }> = await this.dataSource.query(
        'SELECT language FROM participants WHERE session_id = $1 AND user_id = $2',
        [sessionId, participant.user_id],
      );
      if (row) followers.set(row.language, (followers.get(row.language) ?? 0) + 1);
    }
    return [...followers]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([language, count]) => ({ language, participants: count }));
  }

  async invalidate(_sessionId: string): Promise<void> {
    // nothing is cached
  }
}

/*
 * Close cousin: review a's first recommendation alone, the grouped query without the cache. Constant (one
 * statement per message, whatever the session's size), but every message still reads Postgres: 1,000 sessions at
 * 20 messages a second are 20,000 statements a second for a map that changes only on a join or a leave.
 */
@Injectable()
export class GroupedQueryPerMessage implements Pick<SessionLanguages, 'of' | 'invalidate'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  of(sessionId: string): Promise<SessionLanguage[]> {
    return this.dataSource.query<SessionLanguage[]>(SESSION_LANGUAGES_SQL, [sessionId]);
  }

  async invalidate(_sessionId: string): Promise<void> {
    // nothing is cached
  }
}

/*
 * Close cousin: the service's cache, but the join and leave events never reach it: a newcomer's language is not
 * translated into, and a language nobody follows any more still is, until the TTL ends the map.
 */
@Injectable()
export class NeverInvalidatedSessionLanguages extends SessionLanguages {
  override async invalidate(_sessionId: string): Promise<void> {
    // the review's "invalidate on join/leave", left out
  }
}
