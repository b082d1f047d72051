import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '@remedy/auth';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { RealtimeClient } from '@remedy/realtime';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { CHAT_CONNECTION_REGISTRY, type ConnectionRegistry } from './connection-registry.js';

type ChatClient = RealtimeClient<AuthenticatedUser>;

/** A message for one user, published to the channel of each instance that holds one of the user's sockets. */
interface UserMessage {
  userId: string;
  message: unknown;
}

/**
 * Where each signed-in /chat user is, across instances (polyglot-a:S-2, polyglot-b:S-4): this instance's sockets
 * by user, mirrored into the connection registry (Redis) and kept alive by a heartbeat, and a channel per
 * instance on which others send to the users it holds. The gateway reports each socket signing in and closing,
 * and calls start()/close() around its own lifetime, so draining removes this instance's entries only after its
 * sockets have been told (1012) to reconnect elsewhere.
 */
@Injectable()
export class ChatPresence {
  private readonly logger = new Logger(ChatPresence.name);
  private readonly local = new Map<string, Set<ChatClient>>();
  private readonly channel: string;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly listener = (channel: string, payload: string): void => {
    if (channel === this.channel) this.deliverLocally(payload);
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(CHAT_CONNECTION_REGISTRY) private readonly registry: ConnectionRegistry,
  ) {
    this.channel = instanceChannel(config, registry.instanceId);
  }

  async start(): Promise<void> {
    this.redis.subscriber.on('message', this.listener);
    await this.redis.subscriber.subscribe(this.channel);
    await this.registry.heartbeat([]);
    // A third of the TTL: two heartbeats may fail before this instance's entries expire.
    this.heartbeat = setInterval(
      () => {
        this.registry.heartbeat(this.local.keys()).catch((error: unknown) => this.fail(error));
      },
      (this.config.chat.registryTtlSeconds * 1_000) / 3,
    );
    this.heartbeat.unref();
  }

  connected(client: ChatClient): void {
    const userId = client.principal.id;
    const sockets = this.local.get(userId) ?? new Set<ChatClient>();
    sockets.add(client);
    this.local.set(userId, sockets);
    this.registry.added(userId).catch((error: unknown) => this.fail(error));
  }

  disconnected(client: ChatClient): void {
    const userId = client.principal.id;
    const sockets = this.local.get(userId);
    if (sockets?.delete(client) !== true) return;
    if (sockets.size === 0) this.local.delete(userId);
    this.registry.removed(userId).catch((error: unknown) => this.fail(error));
  }

  /** The instances holding `userId`'s sockets, from the registry: the same answer on every instance. */
  instancesOf(userId: string): Promise<string[]> {
    return this.registry.instancesOf(userId);
  }

  /** Sends `message` to every socket of `userId`, on whichever instances hold them; returns how many instances. */
  async sendToUser(userId: string, message: unknown): Promise<number> {
    const instances = await this.registry.instancesOf(userId);
    const payload = JSON.stringify({ userId, message } satisfies UserMessage);
    await Promise.all(
      instances.map((instance) =>
        this.redis.publisher.publish(instanceChannel(this.config, instance), payload),
      ),
    );
    return instances.length;
  }

  /** After the gateway drained its sockets: no entry of this instance is left for others to send to. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    const users = [...this.local.keys()];
    this.local.clear();
    await this.registry.removeInstance(users);
    this.redis.subscriber.off('message', this.listener);
    if (this.redis.subscriber.status === 'ready') await this.redis.subscriber.unsubscribe(this.channel);
  }

  private deliverLocally(payload: string): void {
    let parsed: UserMessage;
    try {
      parsed = JSON.parse(payload) as UserMessage;
    } catch {
      return;
    }
    for (const client of this.local.get(parsed.userId) ?? []) client.send(parsed.message);
  }

  private fail(error: unknown): void {
    this.logger.error(error instanceof Error ? error : String(error));
  }
}

/** The channel on which other instances reach this one's users (outside the rooms' `chat:` prefix). */
function instanceChannel(config: AppConfig, instanceId: string): string {
  return `${config.redis.keyPrefix}chat-instance:${instanceId}`;
}
