import { WebSocketTestClient } from '@remedy/testing';

export type { Frame } from '@remedy/testing';

/** A raw /chat (or /speech) socket for tests: the shared test client with the session's join step. */
export class ChatTestClient extends WebSocketTestClient {
  private constructor(url: string) {
    super(url, { name: 'chat socket', answerTimeoutMs: 30_000 });
  }

  /** Opens a socket at `${wsUrl}${path}` (plus `suffix`, e.g. a query string a test wants refused). */
  static async open(wsUrl: string, suffix = '', path = '/chat'): Promise<ChatTestClient> {
    return new ChatTestClient(`${wsUrl}${path}${suffix}`).opened();
  }

  /** Opens, authenticates and (with `sessionId`) joins the session; resolves once the server confirmed each step. */
  static async joined(wsUrl: string, token: string, sessionId?: string): Promise<ChatTestClient> {
    const client = await (await ChatTestClient.open(wsUrl)).authenticate(token);
    if (sessionId !== undefined) {
      client.send({ type: 'join', sessionId });
      await client.until('joined', () => client.has('joined'));
    }
    return client;
  }
}
