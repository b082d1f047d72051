export const SESSION_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** A session's metadata as the API returns and the cache keeps it (times as ISO 8601 text, UTC). */
export interface Session {
  id: string;
  organisationId: string;
  organiserId: string;
  title: string;
  sourceLanguage: string;
  status: SessionStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** What a start or an end did: the session as it is now, and whether this call made the change. */
export interface SessionTransition {
  session: Session;
  changed: boolean;
}
