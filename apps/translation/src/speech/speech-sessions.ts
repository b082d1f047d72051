import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The session a speaker streams into: whose it is, the language spoken, and whether it is live. */
export interface SpeakerSession {
  organisationId: string;
  sourceLanguage: string;
  status: 'scheduled' | 'live' | 'ended';
}

/** The session if the user is its organiser or one of its participants (one answer for "none" and "not yours"). */
const SPEAKER_SESSION_SQL = `
SELECT s.organisation_id AS "organisationId", s.source_language AS "sourceLanguage", s.status
  FROM sessions s
 WHERE s.id = $1
   AND (s.organiser_id = $2
        OR EXISTS (SELECT 1 FROM participants p WHERE p.session_id = s.id AND p.user_id = $2))`;

/** Served from participants_pkey (session_id, user_id) INCLUDE (language) alone. */
const SESSION_LANGUAGES_SQL = `SELECT DISTINCT language FROM participants WHERE session_id = $1 ORDER BY language`;

@Injectable()
export class SpeechSessions {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async ofSpeaker(sessionId: string, userId: string): Promise<SpeakerSession | null> {
    const rows: SpeakerSession[] = await this.dataSource.query(SPEAKER_SESSION_SQL, [sessionId, userId]);
    return rows[0] ?? null;
  }

  /** The distinct languages the session's participants read it in, now (a participant may join mid-speech). */
  async languages(sessionId: string): Promise<string[]> {
    const rows: Array<{ language: string }> = await this.dataSource.query(SESSION_LANGUAGES_SQL, [sessionId]);
    return rows.map((row) => row.language);
  }
}
