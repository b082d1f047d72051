import type { ApiClient, AuthSessionBody } from './api-client.js';
import { ChatTestClient, type Frame } from './chat-test-client.js';
import { organiserWithLiveSession, type SessionBody } from './session-fixtures.js';

export interface ChatMember {
  user: AuthSessionBody;
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
): Promise<ChatRoom> {
  const { organiser, session } = await organiserWithLiveSession(api, `${name}_organiser@example.com`);
  const members: ChatMember[] = [];
  for (const [index, language] of languages.entries()) {
    const user =
      index === 0
        ? organiser
        : await api.addMember(organiser.accessToken, `${name}_member_${index}@example.com`, 'viewer');
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
