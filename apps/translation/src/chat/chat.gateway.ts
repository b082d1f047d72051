import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Inject, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import { runWithCorrelation } from '@remedy/observability';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { RealtimeClient, RealtimeHubStats } from '@remedy/realtime';
import type WebSocket from 'ws';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { isChatCommandError, parseChatCommand } from './chat-command.js';
import {
  captionRoom,
  CHAT_HUB_FACTORY,
  chatChannelPrefix,
  sessionLanguageRoom,
  sessionRoom,
  type ChatHub,
  type ChatHubFactory,
} from './chat-hub.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatMessageDispatcher } from './messages/chat-message-dispatcher.js';
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
  /** The session each local socket is in (one at a time), and the language it reads it in. */
  private readonly sessions = new Map<ChatClient, { sessionId: string; language: string }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(CHAT_HUB_FACTORY) createHub: ChatHubFactory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(ChatParticipants) private readonly participants: ChatParticipants,
    @Inject(ChatMessageDispatcher) private readonly messages: ChatMessageDispatcher,
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
      // polyglot-a:S-1: in a room of thousands the cost is per frame and socket, so a burst leaves as one frame.
      frameWindowMs: config.chat.frameWindowMs,
      frameWindowMinSockets: config.chat.frameWindowMinSockets,
      authenticate: (message) => this.authenticate(message),
      // polyglot-b:I-3: each message is a unit of work of its own, its lines named by a fresh ID, the user and
      // the session the socket is in (no HTTP hook runs for a socket message).
      onMessage: (client, message) => {
        const joined = this.sessions.get(client);
        const ids = {
          requestId: randomUUID(),
          userId: client.principal.id,
          ...(joined && { sessionId: joined.sessionId }),
        };
        return runWithCorrelation(ids, () => this.onMessage(client, message));
      },
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

  /** A speech caption to every listener of the session reading it in `language`, on every instance. */
  async publishCaption(sessionId: string, language: string, caption: unknown): Promise<void> {
    await this.hub.publish(captionRoom(sessionId, language), caption);
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
    const command = parseChatCommand(message, this.config.chat);
    if (isChatCommandError(command)) return client.sendError(command.code, command.message, command.details);
    if (command.type === 'join') return this.join(client, command.sessionId);
    const joined = this.sessions.get(client);
    if (joined === undefined) return client.sendError('not-joined', 'join a session first');
    if (command.type === 'message') return this.sendMessage(client, joined.sessionId, command);
    this.sessions.delete(client);
    await this.leaveRooms(client, joined);
    client.send({ type: 'left', sessionId: joined.sessionId });
  }

  /**
   * polyglot-a:S-5, polyglot-b:C-4: the dispatcher stores and enqueues the message and the socket hears
   * `pending` at once; the translations arrive later as `message` frames, the sender's included.
   */
  private async sendMessage(
    client: ChatClient,
    sessionId: string,
    message: { text: string; clientMessageId: string },
  ): Promise<void> {
    const receipt = await this.messages.dispatch({ sessionId, userId: client.principal.id }, message);
    if (receipt === null)
      return client.sendError('not-a-participant', 'you are no longer a participant of this session', [
        { field: 'sessionId', problems: ['not a session you are a participant of'] },
      ]);
    client.send({ type: 'pending', ...receipt });
  }

  private async leaveRooms(
    client: ChatClient,
    joined: { sessionId: string; language: string },
  ): Promise<void> {
    await this.hub.leave(client, sessionRoom(joined.sessionId));
    await this.hub.leave(client, sessionLanguageRoom(joined.sessionId, joined.language));
    await this.hub.leave(client, captionRoom(joined.sessionId, joined.language));
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
    if (previous?.sessionId !== sessionId || previous.language !== language) {
      if (previous !== undefined) await this.leaveRooms(client, previous);
      this.sessions.set(client, { sessionId, language });
      await this.hub.join(client, sessionRoom(sessionId));
      // Messages come translated into this language's room (a join after a language switch moves the socket).
      await this.hub.join(client, sessionLanguageRoom(sessionId, language));
      // Speech captions (polyglot-b:M-2) in this language come through its caption room.
      await this.hub.join(client, captionRoom(sessionId, language));
    }
    client.send({ type: 'joined', sessionId, language });
  }
}
