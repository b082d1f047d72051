import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import { WebSocketMetrics } from '@remedy/observability';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { RealtimeClient, RealtimeHubStats } from '@remedy/realtime';
import type WebSocket from 'ws';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { ViewerCounter } from '../viewers/viewer-counter.js';
import { isChatCommandError, parseChatCommand } from './chat-command.js';
import { ChatHistory } from './chat-history.js';
import {
  CHAT_HUB_FACTORY,
  chatChannelPrefix,
  streamRoom,
  userRoom,
  type ChatHub,
  type ChatHubFactory,
} from './chat-hub.js';
import { ChatLinePublisher } from './chat-line-publisher.js';
import type { ChatMessage } from './chat-message.js';
import { ChatSendMetrics } from './chat-send-metrics.js';
import { LiveStreams } from './live-streams.js';

/** The gateway name of the `websocket_connections` gauge (the Kubernetes HPA scales on it). */
export const CHAT_GATEWAY = 'chat';

type ChatClient = RealtimeClient<AuthenticatedUser>;

/**
 * WebSocket /chat: a viewer authenticates with its access token in the first message (never in the URL),
 * joins one live stream's room, sends and receives chat lines, and sends heartbeats that keep it in the
 * stream's viewer count (livestream:S4). Rooms cross instances through Redis, each instance admits at most
 * CHAT_MAX_CONNECTIONS sockets and refuses the rest with 1013 (livestream:S1), and a socket that does not read
 * its messages is closed once its bounded send queue is full (4008).
 */
// maxPayload: ws accepts 100 MiB frames by default; the largest chat command is a few KB.
@WebSocketGateway({ path: '/chat', maxPayload: 16 * 1024 })
export class ChatGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly hub: ChatHub;
  /** The stream each local socket watches (one at a time). */
  private readonly watching = new Map<ChatClient, string>();
  /** Each local socket's sender name, once read (see usernameOf). */
  private readonly usernames = new WeakMap<ChatClient, string>();
  private readonly maxTextLength: number;
  private readonly heartbeatSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(CHAT_HUB_FACTORY) createHub: ChatHubFactory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(WebSocketMetrics) private readonly metrics: WebSocketMetrics,
    @Inject(LiveStreams) private readonly streams: LiveStreams,
    @Inject(ChatHistory) private readonly history: ChatHistory,
    @Inject(ChatLinePublisher) private readonly lines: ChatLinePublisher,
    @Inject(ViewerCounter) private readonly viewers: ViewerCounter,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
    @Inject(ChatSendMetrics) private readonly sendMetrics: ChatSendMetrics,
  ) {
    this.maxTextLength = config.chat.maxMessageLength;
    // Two heartbeats per bucket: a viewer is never missing from a bucket it watched through.
    this.heartbeatSeconds = Math.max(1, Math.floor(config.viewers.bucketSeconds / 2));
    this.hub = createHub({
      name: CHAT_GATEWAY,
      redis: { publisher: redis.publisher, subscriber: redis.subscriber },
      channelPrefix: chatChannelPrefix(config),
      maxConnections: config.chat.maxConnections,
      authTimeoutMs: config.chat.authTimeoutMs,
      // /chat takes no URL parameters: any query string may be a credential under a name no list knows.
      refuseQueryString: true,
      sendQueue: {
        highWaterMarkBytes: config.chat.sendHighWaterBytes,
        maxPendingMessages: config.chat.maxPendingMessages,
        overflow: 'close',
      },
      drainTimeoutMs: Math.min(config.http.shutdownGraceMs, 5_000),
      frameWindowMs: config.chat.frameWindowMs,
      frameWindowMinSockets: config.chat.frameWindowMinSockets,
      timings: metrics.roomDeliveryTimings(CHAT_GATEWAY),
      authenticate: (message) => this.authenticate(message),
      onMessage: (client, message) => this.onMessage(client, message),
      onAuthenticated: (client) => this.onAuthenticated(client),
      onDisconnected: (client) => this.onDisconnected(client),
      onError: (error) => this.logger.error(error instanceof Error ? error : String(error)),
    });
  }

  /**
   * Connects the subscriber before the first socket is admitted. Left to connect on first use, the burst of
   * SUBSCRIBEs that many sockets signing in at once send met ioredis's connection set-up on a connection
   * already in subscriber mode ("only subscriber commands may be used"), and some user rooms never subscribed.
   */
  async onModuleInit(): Promise<void> {
    if (this.redis.subscriber.status === 'wait') await this.redis.subscriber.connect();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  /** To every socket in the stream's room, on every instance: the stream is over (see StreamEndNotice). */
  async announceEnded(streamId: string): Promise<void> {
    await this.hub.publish(streamRoom(streamId), { type: 'ended', streamId });
  }

  stats(): RealtimeHubStats {
    return this.hub.stats();
  }

  /** Before the adapter terminates sockets: close each with 1012 so viewers reconnect to another instance. */
  async onModuleDestroy(): Promise<void> {
    await this.hub.close();
  }

  private async authenticate(message: unknown): Promise<AuthenticatedUser | null> {
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    if (type !== 'auth' || typeof token !== 'string' || token.length > 4_096) return null;
    return this.tokens.verifyAccessToken(token).catch(() => null);
  }

  private async onMessage(client: ChatClient, message: unknown): Promise<void> {
    const command = parseChatCommand(message, this.maxTextLength);
    if (isChatCommandError(command)) return client.sendError(command.code, command.message, command.details);
    switch (command.type) {
      case 'join':
        return this.join(client, command.streamId);
      case 'leave':
        return this.leave(client);
      case 'heartbeat': {
        const streamId = this.watching.get(client);
        if (streamId === undefined) return client.sendError('not-joined', 'join a stream first');
        this.viewers.heartbeat(streamId, client.principal.id);
        return;
      }
      case 'send':
        return this.send(client, command.text);
    }
  }

  private async join(client: ChatClient, streamId: string): Promise<void> {
    if (!(await this.streams.isLive(streamId)))
      return client.sendError('stream-not-live', 'no live stream has that id', [
        { field: 'streamId', problems: ['not a live stream'] },
      ]);
    if (this.watching.get(client) !== streamId) {
      await this.leaveRoom(client);
      this.watching.set(client, streamId);
      await this.hub.join(client, streamRoom(streamId));
      this.viewers.joined(streamId, client.principal.id);
    }
    client.send({
      type: 'joined',
      streamId,
      heartbeatSeconds: this.heartbeatSeconds,
      recent: await this.history.recent(streamId),
    });
  }

  private async leave(client: ChatClient): Promise<void> {
    const streamId = await this.leaveRoom(client);
    if (streamId === undefined) return client.sendError('not-joined', 'join a stream first');
    client.send({ type: 'left', streamId });
  }

  private async send(client: ChatClient, text: string): Promise<void> {
    const startedAt = performance.now();
    const streamId = this.watching.get(client);
    if (streamId === undefined) return client.sendError('not-joined', 'join a stream first');
    const message: ChatMessage = {
      id: randomUUID(),
      streamId,
      userId: client.principal.id,
      username: await this.usernameOf(client),
      text,
      sentAt: new Date().toISOString(),
    };
    // The rate limit, the history and the PUBLISH are one script: the line's delivery waits for no reply here.
    const sentAt = performance.now();
    const result = await this.lines.publish(message, this.hub.channelOf(streamRoom(streamId)));
    if (!result.published)
      return client.sendError('rate-limited', 'too many messages; wait before sending again', {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    this.sendMetrics.published(startedAt, sentAt);
  }

  private async leaveRoom(client: ChatClient): Promise<string | undefined> {
    const streamId = this.watching.get(client);
    if (streamId === undefined) return undefined;
    this.watching.delete(client);
    await this.hub.leave(client, streamRoom(streamId));
    this.viewers.left(streamId, client.principal.id);
    return streamId;
  }

  /**
   * Every signed-in socket listens on its user's room: go-live notices (livestream:C1) reach it from the worker
   * through Redis, wherever the socket is. A notice published before the subscription is in place reaches the
   * list (GET /notifications) only, which a client reads once it is connected.
   */
  private onAuthenticated(client: ChatClient): void {
    this.metrics.connected(CHAT_GATEWAY);
    this.hub
      .join(client, userRoom(client.principal.id))
      .catch((error: unknown) => this.logger.warn(`user room subscription failed: ${String(error)}`));
  }

  private onDisconnected(client: ChatClient): void {
    this.metrics.disconnected(CHAT_GATEWAY);
    const streamId = this.watching.get(client);
    if (streamId === undefined) return;
    this.watching.delete(client);
    this.viewers.left(streamId, client.principal.id);
  }

  /**
   * The sender's username, read through the profile cache once per socket: it is fixed at signup (a profile update
   * cannot change it), so from a socket's second line on nothing is read before the line goes to Redis. Only a name
   * found is kept: a failed read (no profile, or the database busy) sends this line with none and the next reads again.
   */
  private async usernameOf(client: ChatClient): Promise<string | null> {
    const known = this.usernames.get(client);
    if (known !== undefined) return known;
    const username = await this.profiles.get(client.principal.id).then(
      (profile) => profile.username,
      () => null,
    );
    if (username !== null) this.usernames.set(client, username);
    return username;
  }
}
