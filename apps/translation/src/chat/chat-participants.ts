import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PARTICIPANT_SQL } from '../participants/participants.sql.js';

/** Who may join a session's chat: its participants, each reading it in the language of their participant row. */
@Injectable()
export class ChatParticipants {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The user's language in the session, or null when the user is not one of its participants. */
  async languageOf(sessionId: string, userId: string): Promise<string | null> {
    const rows: Array<{ language: string }> = await this.dataSource.query(PARTICIPANT_SQL, [
      sessionId,
      userId,
    ]);
    return rows[0]?.language ?? null;
  }
}
