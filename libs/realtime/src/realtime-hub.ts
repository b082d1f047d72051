import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import WebSocket from 'ws';
import {
  BoundedSendQueue,
  newSendQueueCounters,
  type CorkableTransport,
  type SendQueueOptions,
} from './bounded-send-queue.js';
import { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { drainSockets } from './graceful-drain.js';
import { PreparedTextFrame } from './prepared-text-frame.js';
import { RealtimeClient } from './realtime-client.js';
import { RedisRoomBus, type RoomMessage } from './redis-room-bus.js';
import { roomChannel } from './redis-room-publisher.js';
import { wallClockMs, type RoomDeliveryTimings } from './room-delivery-timings.js';
import { RoomFanOut } from './room-fan-out.js';
import { RoomFrameBatcher } from './room-frame-batcher.js';
import { RoomRegistry } from './room-registry.js';
import { DEFAULT_TOKEN_QUERY_PARAMETERS, hasQueryString, hasTokenInUrl } from './token-in-url.js';
import { isTransientFailure } from './transient-failure.js';

export interface RealtimeHubOptions<P> {
  /** Names the hub, e.g. 'live' (`hub.name`: a label for the app's logs and metrics). */
  name: string;
  redis: { publisher: Redis; subscriber: Redis };
  /** Prepended to every channel (tests pass their isolated prefix). */
  channelPrefix: string;
  maxConnections: number;
  /** How long a new socket has to send its authentication message. */
  authTimeoutMs: number;
  /** Reads the first message; returns the principal, or null to refuse the socket. */
  authenticate(message: unknown): Promise<P | null> | P | null;
  /** Every later message, parsed from JSON. */
  onMessage(client: RealtimeClient<P>, message: unknown): Promise<void> | void;
  onAuthenticated?(client: RealtimeClient<P>): void;
  onDisconnected?(client: RealtimeClient<P>): void;
  /**
   * A message handler threw; the client has been told `unavailable` (retryable: a Redis or database timeout,
   * see isTransientFailure) or `internal`. Log it here (without the message).
   */
  onError?(error: unknown): void;
  sendQueue: SendQueueOptions;
  tokenQueryParameters?: readonly string[];
  /**
   * Refuse every query string, not only the credential names above (`query-string`, 1008). For sockets
   * that take no URL parameters; see hasQueryString.
   */
  refuseQueryString?: boolean;
  /** How long draining waits for close handshakes before terminating. Default 2,000 ms. */
  drainTimeoutMs?: number;
  /**
   * Unkeyed room messages arriving within this window of a room's first one leave as one
   * `{ type: 'batch', messages: […] }` frame per socket (see RoomFrameBatcher). Default 0: a frame per message.
   */
  frameWindowMs?: number;
  /**
   * Rooms with fewer local sockets than this send each message at once, window or not: a frame to a handful of
   * sockets costs next to nothing, and waiting for the window would only add its length to every message of a
   * small session. Default 50.
   */
  frameWindowMinSockets?: number;
  /**
   * Sockets a room's frame is written to per turn of the event loop (see RoomFanOut): between slices the instance
   * reads its sockets and Redis. Default 500 (about 6 ms of writes here).
   */
  fanOutSliceSockets?: number;
  /** Told where each room message's time went on this instance (e.g. the app's latency histograms). */
  timings?: RoomDeliveryTimings;
}

export interface RealtimeHubStats {
  connections: number;
  authenticated: number;
  refused: number;
  rooms: number;
  sent: number;
  coalesced: number;
  dropped: number;
  /** Sockets closed because they did not read fast enough (sendQueue.overflow 'close'). */
  closedSlow: number;
  /** Messages waiting in send queues. */
  pendingMessages: number;
  /** Bytes held for all sockets: queued messages plus socket buffers. */
  heldBytes: number;
}

const MAX_MESSAGES_IN_FLIGHT = 32;
const DEFAULT_FRAME_WINDOW_MIN_SOCKETS = 50;
const DEFAULT_FAN_OUT_SLICE_SOCKETS = 500;

type Connection<P> =
  | { state: 'authenticating'; early: string[] }
  | { state: 'ready'; client: RealtimeClient<P> }
  | { state: 'closed' };

/**
 * A WebSocket hub for one gateway: admission (connection limit), first-message authentication with a
 * deadline, rooms fanned out across instances through Redis, a bounded coalescing send queue per
 * socket, and a graceful drain. Feed it each socket from a Nest gateway's `handleConnection(socket,
 * request)` (or a bare `ws` server's 'connection' event); it owns the socket's messages from then on.
 */
export class RealtimeHub<P> {
  private readonly limiter: ConnectionLimiter;
  private readonly rooms = new RoomRegistry<RealtimeClient<P>>();
  private readonly bus: RedisRoomBus;
  private readonly counters = newSendQueueCounters();
  private readonly sockets = new Set<WebSocket>();
  private readonly clients = new Set<RealtimeClient<P>>();
  private draining = false;
  private readonly batcher: RoomFrameBatcher | undefined;
  private readonly fanOut: RoomFanOut<RealtimeClient<P>>;

  constructor(private readonly options: RealtimeHubOptions<P>) {
    this.limiter = new ConnectionLimiter(options.maxConnections);
    this.fanOut = new RoomFanOut(
      (room) => this.rooms.members(room),
      options.fanOutSliceSockets ?? DEFAULT_FAN_OUT_SLICE_SOCKETS,
    );
    const deliver = (room: string, message: RoomMessage, receivedAt: readonly number[]) =>
      this.deliverLocally(room, message, receivedAt);
    const windowMs = options.frameWindowMs ?? 0;
    const minSockets = options.frameWindowMinSockets ?? DEFAULT_FRAME_WINDOW_MIN_SOCKETS;
    const batcher =
      windowMs > 0
        ? new RoomFrameBatcher(windowMs, deliver, (room) => this.rooms.members(room).size >= minSockets)
        : undefined;
    this.batcher = batcher;
    this.bus = new RedisRoomBus({
      publisher: options.redis.publisher,
      subscriber: options.redis.subscriber,
      channelPrefix: options.channelPrefix,
      onMessage: (room, message, publishedAt) => {
        if (publishedAt !== undefined) options.timings?.transit(wallClockMs() - publishedAt);
        if (batcher) batcher.add(room, message, publishedAt);
        else deliver(room, message, [performance.now()]);
      },
    });
  }

  accept(socket: WebSocket, request?: IncomingMessage): void {
    if (this.draining) {
      socket.close(CLOSE_CODES.serviceRestart, CLOSE_REASONS.draining);
      return;
    }
    if (hasTokenInUrl(request, this.options.tokenQueryParameters ?? DEFAULT_TOKEN_QUERY_PARAMETERS)) {
      socket.send(errorFrame('token-in-url', CLOSE_REASONS.tokenInUrl));
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.tokenInUrl);
      return;
    }
    if (this.options.refuseQueryString === true && hasQueryString(request)) {
      socket.send(errorFrame('query-string', CLOSE_REASONS.queryString));
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.queryString);
      return;
    }
    if (!this.limiter.admit(socket)) return;
    this.sockets.add(socket);

    let connection: Connection<P> = { state: 'authenticating', early: [] };
    const deadline = setTimeout(() => {
      if (connection.state !== 'authenticating') return;
      socket.send(errorFrame('auth-timeout', CLOSE_REASONS.authTimeout));
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.authTimeout);
    }, this.options.authTimeoutMs);

    // A client's messages are handled one after another (a subscribe completes before the next message
    // runs); a client that sends faster than its messages are handled gets an error, not an unbounded backlog.
    let inFlight = 0;
    let chain: Promise<void> = Promise.resolve();
    const handle = (client: RealtimeClient<P>, raw: string): void => {
      if (inFlight >= MAX_MESSAGES_IN_FLIGHT) {
        client.sendError(
          'too-many-messages',
          `more than ${MAX_MESSAGES_IN_FLIGHT} messages waiting; slow down`,
        );
        return;
      }
      inFlight += 1;
      chain = chain
        .then(() => {
          let message: unknown;
          try {
            message = JSON.parse(raw);
          } catch {
            return client.sendError('bad-json', 'message is not valid JSON');
          }
          return this.options.onMessage(client, message);
        })
        .catch((error: unknown) => {
          if (isTransientFailure(error))
            client.sendError(
              'unavailable',
              'the service is busy: send the message again in a moment',
              undefined,
              {
                retryable: true,
              },
            );
          else client.sendError('internal', 'the message could not be handled');
          this.options.onError?.(error);
        })
        .finally(() => {
          inFlight -= 1;
        });
    };

    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const raw = isBinary ? '' : rawToString(data);
      if (connection.state === 'ready') {
        handle(connection.client, raw);
        return;
      }
      if (connection.state === 'closed') return;
      if (connection.early.length > 0) {
        // Messages sent before the authentication answer wait for it, in order (bounded: 16).
        if (connection.early.length < 16) connection.early.push(raw);
        return;
      }
      connection.early.push(raw);
      void this.authenticate(socket, raw, request?.socket).then((client) => {
        if (connection.state !== 'authenticating') return;
        clearTimeout(deadline);
        if (!client) {
          connection = { state: 'closed' };
          return;
        }
        const early = connection.early.slice(1);
        connection = { state: 'ready', client };
        for (const pending of early) handle(client, pending);
      });
    });

    socket.once('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
      const previous = connection;
      connection = { state: 'closed' };
      if (previous.state === 'ready') this.forget(previous.client);
    });
  }

  /** Resolves once messages published to the room reach this client, from any instance. */
  async join(client: RealtimeClient<P>, room: string): Promise<void> {
    this.rooms.join(client, room);
    // Every joiner waits: the room's first member may still be waiting for the SUBSCRIBE its join sent.
    await this.bus.subscribe(room);
  }

  async leave(client: RealtimeClient<P>, room: string): Promise<void> {
    if (this.rooms.leave(client, room)) await this.bus.unsubscribe(room);
  }

  roomsOf(client: RealtimeClient<P>): ReadonlySet<string> {
    return this.rooms.roomsOf(client);
  }

  /** Sends to every socket in the room on every instance; `key` lets a slow socket keep only the latest. */
  async publish(room: string, message: unknown, key?: string): Promise<void> {
    await this.bus.publish(room, toRoomMessage(message, key));
  }

  /**
   * The room's Redis channel: a Redis script that publishes a room message itself (with ROOM_MESSAGE_WIRE_LUA)
   * publishes there, and the hubs deliver it as they do `publish`'s.
   */
  channelOf(room: string): string {
    return roomChannel(this.options.channelPrefix, room);
  }

  /** Many room messages in one Redis round trip. */
  async publishMany(
    messages: ReadonlyArray<{ room: string; message: unknown; key?: string }>,
  ): Promise<void> {
    await this.bus.publishMany(
      messages.map(({ room, message, key }) => ({ room, ...toRoomMessage(message, key) })),
    );
  }

  get name(): string {
    return this.options.name;
  }

  stats(): RealtimeHubStats {
    let heldBytes = 0;
    let pendingMessages = 0;
    for (const client of this.clients) {
      heldBytes += client.heldBytes;
      pendingMessages += client.pendingMessages;
    }
    return {
      connections: this.limiter.connections,
      authenticated: this.clients.size,
      refused: this.limiter.refused,
      rooms: this.rooms.roomCount,
      sent: this.counters.sent,
      coalesced: this.counters.coalesced,
      dropped: this.counters.dropped,
      closedSlow: this.counters.closedSlow,
      pendingMessages,
      heldBytes,
    };
  }

  /** Sends what the frame window holds, refuses new sockets and closes open ones with 1012 "service restart, reconnect". */
  async drain(): Promise<void> {
    this.draining = true;
    this.batcher?.flushAll();
    await this.fanOut.idle();
    await drainSockets(this.sockets, this.options.drainTimeoutMs ?? 2_000);
  }

  /** Drains, then releases the room subscriptions (the Redis connections belong to the caller). */
  async close(): Promise<void> {
    await this.drain();
    await this.bus.close();
  }

  private async authenticate(
    socket: WebSocket,
    raw: string,
    transport: CorkableTransport | undefined,
  ): Promise<RealtimeClient<P> | null> {
    let principal: P | null = null;
    try {
      principal = await this.options.authenticate(JSON.parse(raw));
    } catch {
      principal = null;
    }
    if (socket.readyState !== WebSocket.OPEN) return null;
    if (principal === null) {
      socket.send(errorFrame('auth-failed', CLOSE_REASONS.authFailed));
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.authFailed);
      return null;
    }
    const client = new RealtimeClient(
      socket,
      principal,
      new BoundedSendQueue(socket, this.options.sendQueue, this.counters, transport),
    );
    this.clients.add(client);
    client.send({ type: 'authenticated' });
    this.options.onAuthenticated?.(client);
    return client;
  }

  private forget(client: RealtimeClient<P>): void {
    this.clients.delete(client);
    for (const room of this.rooms.leaveAll(client)) void this.bus.unsubscribe(room).catch(() => undefined);
    this.options.onDisconnected?.(client);
  }

  /**
   * A room frame is encoded and framed once per instance and every socket is handed the same bytes: given a string,
   * `ws` measures, encodes and frames it again for each socket, and in a room of thousands that was most of a
   * frame's cost in JavaScript (ADR 0060, ADR 0066). A large room is written a slice at a time (RoomFanOut).
   */
  private deliverLocally(room: string, message: RoomMessage, receivedAt: readonly number[]): void {
    const timings = this.options.timings;
    const frame = PreparedTextFrame.of(message.payload);
    let startedAt = 0;
    this.fanOut.send(room, {
      started: (members) => {
        startedAt = performance.now();
        if (timings !== undefined && members > 0)
          for (const at of receivedAt) timings.frameWait(startedAt - at);
      },
      write: (client) => client.send(frame, message.key),
      finished: (members) => {
        if (timings === undefined || members === 0) return;
        // The writes only corked each connection: BoundedSendQueue hands them to the kernel in a process.nextTick
        // queued by the first write of the slice, which therefore runs before this one.
        process.nextTick(() => timings.fanOut(performance.now() - startedAt));
      },
    });
  }
}

function toRoomMessage(message: unknown, key: string | undefined): RoomMessage {
  const payload = typeof message === 'string' ? message : JSON.stringify(message);
  return key === undefined ? { payload } : { payload, key };
}

function errorFrame(code: string, message: string): string {
  return JSON.stringify({ type: 'error', code, message });
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data)).toString('utf8');
  return data.toString('utf8');
}
