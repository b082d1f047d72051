import type { IncomingMessage } from 'node:http';
import type { AuthenticatedUser } from '@remedy/auth';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { RealtimeHub, type RealtimeClient, type RealtimeHubOptions } from '@remedy/realtime';
import type { ProviderPlug } from '@remedy/testing';
import { DataSource } from 'typeorm';
import type WebSocket from 'ws';
import { APP_CONFIG } from '../src/app-config.module.js';
import {
  CHAT_HUB_FACTORY,
  sessionLanguageRoom,
  type ChatHub,
  type ChatHubFactory,
} from '../src/chat/chat-hub.js';
import { ChatMessageDelivery, type ChatMessageFrame } from '../src/chat/messages/chat-message-delivery.js';
import { ChatMessageDispatcher } from '../src/chat/messages/chat-message-dispatcher.js';
import type { AppConfig } from '../src/config.js';
import { SessionLanguages } from '../src/participants/session-languages.js';
import { Translator } from '../src/translation/translator.service.js';
import { InlineTranslatingChatMessageDispatcher } from './s-5-translation-in-the-socket-handler.flawed.js';

type ChatClient = RealtimeClient<AuthenticatedUser>;

/*
 * polyglot-a:S-1 — "Translation Service broadcasts each translated message to all session participants": the
 * server that handles a message translates it and sends it, one WebSocket send per participant, to the session's
 * sockets it holds ("a single message in a 10,000-participant session requires 10,000 individual WebSocket sends").
 * There is no message broker ("no mention of pub/sub architecture") and no batching window, so with two instances
 * a viewer hears only what its own instance handled, and every message is a frame of its own.
 *
 * OneServerBroadcastHub takes the /chat hub's place: admission and authentication as before, but rooms are a Map
 * of this process and a publish is a loop over them. The dispatcher delivers in the handler (the design's flow,
 * see s-5) through LocalLoopChatMessageDelivery, whose publish is that loop instead of Redis.
 */
export class OneServerBroadcastHub implements ChatHub {
  private readonly hub: RealtimeHub<AuthenticatedUser>;
  private readonly rooms = new Map<string, Set<ChatClient>>();

  constructor(options: RealtimeHubOptions<AuthenticatedUser>) {
    this.hub = new RealtimeHub({
      ...options,
      frameWindowMs: 0,
      onDisconnected: (client) => {
        for (const members of this.rooms.values()) members.delete(client);
        options.onDisconnected?.(client);
      },
    });
  }

  accept(socket: WebSocket, request?: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  join(client: ChatClient, room: string): Promise<void> {
    const members = this.rooms.get(room) ?? new Set<ChatClient>();
    members.add(client);
    this.rooms.set(room, members);
    return Promise.resolve();
  }

  leave(client: ChatClient, room: string): Promise<void> {
    this.rooms.get(room)?.delete(client);
    return Promise.resolve();
  }

  /** The review's broadcast: every socket of the room this process holds, one send each. */
  publish(room: string, message: unknown): Promise<void> {
    for (const client of this.rooms.get(room) ?? []) client.send(JSON.stringify(message));
    return Promise.resolve();
  }

  stats(): ReturnType<ChatHub['stats']> {
    return this.hub.stats();
  }

  close(): Promise<void> {
    return this.hub.close();
  }
}

/** The service's translation per language, handed to the handling process's own loop instead of Redis. */
export class LocalLoopChatMessageDelivery extends ChatMessageDelivery {
  constructor(
    private readonly broadcaster: { hub?: OneServerBroadcastHub },
    ...services: ConstructorParameters<typeof ChatMessageDelivery>
  ) {
    super(...services);
  }

  protected override async publish(sessionId: string, frames: readonly ChatMessageFrame[]): Promise<void> {
    for (const frame of frames)
      await this.broadcaster.hub?.publish(sessionLanguageRoom(sessionId, frame.language), frame);
  }
}

/** The hub and the dispatcher of one instance, sharing the loop: a fresh pair for each app. */
export function oneServerBroadcastPlugs(): ProviderPlug[] {
  const broadcaster: { hub?: OneServerBroadcastHub } = {};
  const createHub: ChatHubFactory = (options) => (broadcaster.hub = new OneServerBroadcastHub(options));
  return [
    { provide: CHAT_HUB_FACTORY, useValue: createHub },
    {
      provide: ChatMessageDispatcher,
      inject: [APP_CONFIG, DataSource, REDIS_CLIENTS, Translator],
      useFactory: (config: AppConfig, dataSource: DataSource, redis: RedisClients, translator: Translator) =>
        new InlineTranslatingChatMessageDispatcher(
          dataSource,
          new LocalLoopChatMessageDelivery(
            broadcaster,
            config,
            dataSource,
            redis,
            translator,
            new SessionLanguages(dataSource, redis, config),
          ),
        ),
    },
  ];
}
