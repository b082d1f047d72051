import type { TokenService } from '@remedy/auth';
import type pg from 'pg';
import type { ApiClient, AuthSessionBody } from './api-client.js';
import { ChatTestClient, type Frame } from './chat-test-client.js';
import { organiserWithLiveSession, type SessionBody } from './session-fixtures.js';

/** Adds a viewer to the organiser's organisation and returns its access token. */
export type AddViewer = (organiser: AuthSessionBody, email: string) => Promise<{ accessToken: string }>;

/** Through the API: POST /organisation/users, then a login (two password hashings). */
export function viewerThroughApi(api: ApiClient): AddViewer {
  return (organiser, email) => api.addMember(organiser.accessToken, email, 'viewer');
}

/**
 * Straight into the users table with a token from the app's TokenService: no password hashing, for proofs
 * that measure something else and would otherwise spend seconds signing users in.
 */
export function seededViewer(pool: pg.Pool, tokens: TokenService): AddViewer {
  return async (organiser, email) => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (organisation_id, email, display_name, role, password_hash)
       VALUES ($1, $2, 'Seeded viewer', 'viewer', 'not a password hash') RETURNING id`,
      [organiser.user.organisationId, email],
    );
    return tokens.startSession({ id: rows[0]?.id ?? '', role: 'viewer' });
  };
}

export interface ChatMember {
  user: { accessToken: string };
  /** The language of the member's participant row: the room its socket hears messages in. */
  language: string;
  socket: ChatTestClient;
}

export interface ChatRoom {
  organiser: AuthSessionBody;
  session: SessionBody;
  /** One member per entry of `languages`, in order; the first is the organiser. */
  members: ChatMember[];
}

/**
 * A live session with one participant per entry of `languages` (the organiser first, then viewers of its
 * organisation), each joined through the API in its language and over /chat with a socket of its own.
 */
export async function openChatRoom(
  api: ApiClient,
  wsUrl: string,
  name: string,
  languages: readonly string[],
  addViewer: AddViewer = viewerThroughApi(api),
): Promise<ChatRoom> {
  const { organiser, session } = await organiserWithLiveSession(api, `${name}_organiser@example.com`);
  const members: ChatMember[] = [];
  for (const [index, language] of languages.entries()) {
    const user = index === 0 ? organiser : await addViewer(organiser, `${name}_member_${index}@example.com`);
    await api.expect(200, 'POST', `/sessions/${session.id}/participants`, { language }, user.accessToken);
    members.push({
      user,
      language,
      socket: await ChatTestClient.joined(wsUrl, user.accessToken, session.id),
    });
  }
  return { organiser, session, members };
}

/** The `message` frames a socket received for one message (more than one is a duplicate delivery). */
export function deliveriesOf(socket: ChatTestClient, messageId: string): Frame[] {
  return socket.ofType('message').filter((frame) => frame['messageId'] === messageId);
}
