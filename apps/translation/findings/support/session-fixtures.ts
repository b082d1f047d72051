import type pg from 'pg';
import type { ApiClient, AuthSessionBody } from './api-client.js';

export interface SessionBody {
  id: string;
  organisationId: string;
  title: string;
  sourceLanguage: string;
  status: 'scheduled' | 'live' | 'ended';
  startedAt: string | null;
  endedAt: string | null;
}

/** A new organisation's organiser and a live session of theirs, made through the API. */
export async function organiserWithLiveSession(
  api: ApiClient,
  email: string,
): Promise<{ organiser: AuthSessionBody; session: SessionBody }> {
  const organiser = await api.signup(email);
  const created = await api.expect<SessionBody>(
    201,
    'POST',
    '/sessions',
    { title: 'Opening keynote', sourceLanguage: 'ja' },
    organiser.accessToken,
  );
  const session = await api.expect<SessionBody>(
    200,
    'POST',
    `/sessions/${created.id}/start`,
    undefined,
    organiser.accessToken,
  );
  return { organiser, session };
}

/** Outbox rows of one topic about one session: the events the service committed. */
export async function sessionEventCount(pool: pg.Pool, sessionId: string, topic: string): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM outbox WHERE topic = $1 AND payload->>'sessionId' = $2`,
    [topic, sessionId],
  );
  return rows[0]?.count ?? 0;
}
