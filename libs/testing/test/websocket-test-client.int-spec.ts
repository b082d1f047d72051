import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { WebSocketTestClient, type Frame } from '@remedy/testing';

/** The shared client as an app extends it: its own path, and a frame that carries several messages. */
class EchoTestClient extends WebSocketTestClient {
  private constructor(url: string) {
    super(url, { name: 'echo socket', answerTimeoutMs: 5_000 });
  }

  static async open(port: number): Promise<EchoTestClient> {
    return new EchoTestClient(`ws://127.0.0.1:${port}/echo`).opened();
  }

  protected override record(frame: Frame): void {
    if (Array.isArray(frame['messages'])) this.frames.push(...(frame['messages'] as Frame[]));
    else this.frames.push(frame);
  }
}

/** A socket server that greets on connect, answers first-message auth, echoes, and closes on `bye`. */
async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer();
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    // Sent with the upgrade: the client must already be listening when 'open' fires.
    socket.send(JSON.stringify({ type: 'hello' }));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Frame;
      if (message['type'] === 'auth' && message['token'] === 'good')
        socket.send(JSON.stringify({ messages: [{ type: 'authenticated' }, { type: 'ready' }] }));
      else if (message['type'] === 'bye') socket.close(4000);
      else if (message['type'] === 'echo') socket.send('not json');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `test` with a client of a fresh echo server, and closes both whatever the test did. */
async function withEchoClient(test: (client: EchoTestClient) => Promise<void>): Promise<void> {
  const server = await startEchoServer();
  const client = await EchoTestClient.open(server.port);
  try {
    await test(client);
  } finally {
    await client.close();
    await server.close();
  }
}

describe('WebSocketTestClient', () => {
  it('keeps the frame sent with the upgrade, authenticates with the first message and unpacks through record', () =>
    withEchoClient(async (client) => {
      await client.authenticate('good');
      expect(client.frames.map((frame) => frame['type'])).toEqual(['hello', 'authenticated', 'ready']);
      client.send({ type: 'echo' });
      await client.until('the echo', () => client.has('(not JSON)'));
      expect(client.ofType('(not JSON)')[0]).toEqual({ type: '(not JSON)', text: 'not json' });
    }));

  it('fails a wait the server never answers with the socket, what it waited for and the frames seen', () =>
    withEchoClient(async (client) => {
      client.send({ type: 'auth', token: 'bad' });
      await expect(client.until('authenticated', () => client.has('authenticated'), 200)).rejects.toThrow(
        'echo socket: no authenticated within 200 ms; frames [{"type":"hello"}], close undefined',
      );
    }));

  it('resolves closed() with the code the server closed with', () =>
    withEchoClient(async (client) => {
      client.send({ type: 'bye' });
      expect(await client.closed()).toBe(4000);
      expect(client.isOpen).toBe(false);
    }));
});
