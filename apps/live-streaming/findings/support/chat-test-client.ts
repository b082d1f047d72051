import { WebSocketTestClient } from '@remedy/testing';

export type { Frame } from '@remedy/testing';

/** A raw /chat socket for tests: the shared test client with the stream's join step. */
export class ChatTestClient extends WebSocketTestClient {
  private constructor(url: string) {
    super(url, { name: 'chat socket', answerTimeoutMs: 30_000 });
  }

  /** Opens a socket at `${wsUrl}/chat` (plus `suffix`, e.g. a query string a test wants refused). */
  static async open(wsUrl: string, suffix = ''): Promise<ChatTestClient> {
    return new ChatTestClient(`${wsUrl}/chat${suffix}`).opened();
  }

  /** Opens, authenticates and (with `streamId`) joins; resolves once the server confirmed each step. */
  static async joined(wsUrl: string, token: string, streamId?: string): Promise<ChatTestClient> {
    const client = await (await ChatTestClient.open(wsUrl)).authenticate(token);
    if (streamId !== undefined) {
      client.send({ type: 'join', streamId });
      await client.until('joined', () => client.has('joined'));
    }
    return client;
  }
}
