import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import type { RedisClients } from '@remedy/pooling';
import type { RealtimeClient, RealtimeHubStats } from '@remedy/realtime';
import type WebSocket from 'ws';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import { isChatCommandError, parseChatCommand } from './chat-command.js';
import {
  CHAT_HUB_FACTORY,
  chatChannelPrefix,
  sessionRoom,
  type ChatHub,
  type ChatHubFactory,
} from './chat-hub.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatPresence } from './chat-presence.js';

type ChatClient = RealtimeClient<AuthenticatedUser>;

/**
 * WebSocket /chat: a participant authenticates with its access token in the first message (polyglot-b:I-1:
 * a token, or any query string, in the URL is refused with 1008 and the URL is never logged), then joins a
 * session it is a participant of, in the language of its participant row. Each instance admits at most
 * CHAT_MAX_CONNECTIONS sockets and refuses the rest with 1013; on shutdown every socket is closed with 1012 so
 * the client reconnects to another instance.
 */
// maxPayload: ws accepts 100 MiB frames by default; the largest chat command is a few KB.
@WebSocketGateway({ path: '/chat', maxPayload: 16 * 1024 })
export class ChatGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly hub: ChatHub;
  /** The session each local socket is in (one at a time). */
  private readonly sessions = new Map<ChatClient, string>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(CHAT_HUB_FACTORY) createHub: ChatHubFactory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(ChatParticipants) private readonly participants: ChatParticipants,
    @Inject(ChatPresence) private readonly presence: ChatPresence,
  ) {
    this.hub = createHub({
      name: 'chat',
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
      authenticate: (message) => this.authenticate(message),
      onMessage: (client, message) => this.onMessage(client, message),
      onAuthenticated: (client) => this.presence.connected(client),
      onDisconnected: (client) => {
        this.sessions.delete(client);
        this.presence.disconnected(client);
      },
      onError: (error) => this.logger.error(error instanceof Error ? error : String(error)),
    });
  }

  /** Connects the subscriber before the first socket is admitted (see live-streaming's chat gateway). */
  async onModuleInit(): Promise<void> {
    if (this.redis.subscriber.status === 'wait') await this.redis.subscriber.connect();
    await this.presence.start();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  stats(): RealtimeHubStats {
    return this.hub.stats();
  }

  /**
   * Before the adapter terminates sockets: close each with 1012 so clients reconnect to another instance, then
   * take this instance out of the connection registry so nobody routes to it any more.
   */
  async onModuleDestroy(): Promise<void> {
    await this.hub.close();
    await this.presence.close();
  }

  private async authenticate(message: unknown): Promise<AuthenticatedUser | null> {
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    if (type !== 'auth' || typeof token !== 'string' || token.length > 4_096) return null;
    return this.tokens.verifyAccessToken(token).catch(() => null);
  }

  private async onMessage(client: ChatClient, message: unknown): Promise<void> {
    const command = parseChatCommand(message);
    if (isChatCommandError(command)) return client.sendError(command.code, command.message, command.details);
    if (command.type === 'join') return this.join(client, command.sessionId);
    const sessionId = this.sessions.get(client);
    if (sessionId === undefined) return client.sendError('not-joined', 'join a session first');
    this.sessions.delete(client);
    await this.hub.leave(client, sessionRoom(sessionId));
    client.send({ type: 'left', sessionId });
  }

  private async join(client: ChatClient, sessionId: string): Promise<void> {
    const language = await this.participants.languageOf(sessionId, client.principal.id);
    // One answer for "no such session" and "not yours": a socket cannot probe for other organisations' sessions.
    if (language === null)
      return client.sendError(
        'not-a-participant',
        'join the session first (POST /sessions/:id/participants)',
        [{ field: 'sessionId', problems: ['not a session you are a participant of'] }],
      );
    const previous = this.sessions.get(client);
    if (previous !== sessionId) {
      if (previous !== undefined) await this.hub.leave(client, sessionRoom(previous));
      this.sessions.set(client, sessionId);
      await this.hub.join(client, sessionRoom(sessionId));
    }
    client.send({ type: 'joined', sessionId, language });
  }
}
