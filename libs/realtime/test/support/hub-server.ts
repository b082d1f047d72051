import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { waitUntil } from '@remedy/testing';
import WebSocket, { WebSocketServer, type ServerOptions } from 'ws';
import { RealtimeHub, type RealtimeHubOptions } from '../../src/index.js';

export interface Principal {
  user: string;
}

export interface HubServer {
  hub: RealtimeHub<Principal>;
  url: string;
  /** The server side's TCP socket of each connection, in the order they came. */
  transports: Socket[];
  /** The server side's WebSocket of each connection, in the order they came. */
  sockets: WebSocket[];
  close(): Promise<void>;
}

/**
 * A bare `ws` server on loopback whose sockets go to a hub: `{token:'good'}` authenticates, `{join}` joins a room.
 * `serverOptions` reach the `ws` server (e.g. permessage-deflate).
 */
export async function startHubServer(
  redisUrl: string,
  channelPrefix: string,
  overrides: Partial<RealtimeHubOptions<Principal>> = {},
  serverOptions: Pick<ServerOptions, 'perMessageDeflate'> = {},
): Promise<HubServer> {
  const publisher = new Redis(redisUrl, { lazyConnect: true });
  const subscriber = new Redis(redisUrl, { lazyConnect: true });
  // A subscriber must finish its ready check (INFO) before it enters subscriber mode.
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const hub: RealtimeHub<Principal> = new RealtimeHub<Principal>({
    name: 'test',
    redis: { publisher, subscriber },
    channelPrefix,
    maxConnections: 100,
    authTimeoutMs: 2_000,
    authenticate: (message) => {
      const token = (message as { token?: string }).token;
      return token === 'good' ? { user: 'nurse' } : null;
    },
    onMessage: async (client, message) => {
      const room = (message as { join?: string }).join;
      if (room === undefined) return client.sendError('unknown-message', 'expected { join }');
      await hub.join(client, room);
      client.send({ type: 'joined', room });
    },
    sendQueue: { highWaterMarkBytes: 64 * 1024, maxPendingMessages: 100 },
    drainTimeoutMs: 1_000,
    ...overrides,
  });
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...serverOptions });
  const transports: Socket[] = [];
  const sockets: WebSocket[] = [];
  server.on('connection', (socket, request) => {
    transports.push(request.socket);
    sockets.push(socket);
    hub.accept(socket, request);
  });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    hub,
    url: `ws://127.0.0.1:${port}`,
    transports,
    sockets,
    close: async () => {
      await hub.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

export interface TestClient {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

export async function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const socket = new WebSocket(url, options);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) =>
    messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
  );
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  socket.on('error', () => undefined);
  await once(socket, 'open');
  return { socket, messages, closed };
}

export async function connectAndJoin(
  url: string,
  room: string,
  options: WebSocket.ClientOptions = {},
): Promise<TestClient> {
  const client = await connect(url, options);
  client.socket.send(JSON.stringify({ token: 'good' }));
  client.socket.send(JSON.stringify({ join: room }));
  await waitUntil(`joined ${room}`, () => client.messages.some((m) => m.type === 'joined'), 5_000);
  return client;
}
