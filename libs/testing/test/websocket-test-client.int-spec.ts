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

describe('WebSocketTestClient', () => {
  it('keeps the frame sent with the upgrade, authenticates with the first message and unpacks through record', async () => {
    const server = await startEchoServer();
    const client = await EchoTestClient.open(server.port);
    try {
      await client.authenticate('good');
      expect(client.frames.map((frame) => frame['type'])).toEqual(['hello', 'authenticated', 'ready']);
      client.send({ type: 'echo' });
      await client.until('the echo', () => client.has('(not JSON)'));
      expect(client.ofType('(not JSON)')[0]).toEqual({ type: '(not JSON)', text: 'not json' });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('fails a wait the server never answers with the socket, what it waited for and the frames seen', async () => {
    const server = await startEchoServer();
    const client = await EchoTestClient.open(server.port);
    try {
      client.send({ type: 'auth', token: 'bad' });
      await expect(client.until('authenticated', () => client.has('authenticated'), 200)).rejects.toThrow(
        'echo socket: no authenticated within 200 ms; frames [{"type":"hello"}], close undefined',
      );
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('resolves closed() with the code the server closed with', async () => {
    const server = await startEchoServer();
    const client = await EchoTestClient.open(server.port);
    try {
      client.send({ type: 'bye' });
      expect(await client.closed()).toBe(4000);
      expect(client.isOpen).toBe(false);
    } finally {
      await server.close();
    }
  });
});
