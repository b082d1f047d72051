import { WebSocketTestClient, type Frame } from '@remedy/testing';

export type { Frame } from '@remedy/testing';

/**
 * A raw /chat socket for tests: the shared test client, recording a batch frame as the frames it carries.
 */
export class ChatTestClient extends WebSocketTestClient {
  private constructor(url: string) {
    super(url, { name: 'chat socket', answerTimeoutMs: 10_000 });
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

  protected override record(frame: Frame): void {
    // A batch frame (CHAT_FRAME_WINDOW_MS) is recorded as the frames it carries, in order.
    if (frame['type'] === 'batch' && Array.isArray(frame['messages']))
      this.frames.push(...(frame['messages'] as Frame[]));
    else this.frames.push(frame);
  }
}
