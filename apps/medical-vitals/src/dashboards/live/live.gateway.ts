import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { RedisClients } from '@remedy/pooling';
import type { RealtimeClient, RealtimeHubStats } from '@remedy/realtime';
import type WebSocket from 'ws';
import { APP_CONFIG, type AppConfig } from '../../config.js';
import { REDIS_CLIENTS } from '../../redis/redis.tokens.js';
import { DashboardQueries } from '../dashboard-queries.service.js';
import { DashboardTokens, type DashboardPrincipal } from './dashboard-token.service.js';
import { LIVE_HUB_FACTORY, type LiveHub, type LiveHubFactory } from './live-hub.js';
import { isCommandError, parseLiveCommand, type LiveCommand } from './live-command.js';
import { patientRoom, wardRoom } from './live-rooms.js';

/**
 * WebSocket /live: dashboards authenticate with a dashboard token in their first message, subscribe to
 * ward or patient rooms, and receive readings and alerts as they are stored (V-03). Rooms cross
 * instances through Redis (V-14); a slow socket keeps the latest reading per patient (V-07).
 */
@WebSocketGateway({ path: '/live', maxPayload: 16 * 1024 })
export class LiveGateway implements OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly hub: LiveHub;
  private readonly maxRooms: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(DashboardTokens) private readonly tokens: DashboardTokens,
    @Inject(DashboardQueries) private readonly queries: DashboardQueries,
    @Inject(LIVE_HUB_FACTORY) createHub: LiveHubFactory,
  ) {
    this.maxRooms = config.dashboards.liveMaxRoomsPerSocket;
    this.hub = createHub({
      name: 'live',
      redis: { publisher: redis.publisher, subscriber: redis.subscriber },
      channelPrefix: `${config.redisKeyPrefix}vitals:live:`,
      maxConnections: config.dashboards.liveMaxConnections,
      authTimeoutMs: config.ingest.authTimeoutMs,
      // /live takes no URL parameters: any query string may be a credential under a name no list knows.
      refuseQueryString: true,
      sendQueue: {
        highWaterMarkBytes: config.dashboards.liveSendHighWaterBytes,
        maxPendingMessages: config.dashboards.liveMaxPendingMessages,
      },
      drainTimeoutMs: Math.min(config.shutdownGraceMs, 5_000),
      authenticate: (message) => this.authenticate(message),
      onMessage: (client, message) => this.onMessage(client, message),
      onError: (error) => this.logger.error(error instanceof Error ? error : String(error)),
    });
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.hub.accept(socket, request);
  }

  /** Sends room messages to every instance in one Redis round trip. */
  publish(messages: ReadonlyArray<{ room: string; message: string; key: string }>): Promise<void> {
    return this.hub.publishMany(messages);
  }

  stats(): RealtimeHubStats {
    return this.hub.stats();
  }

  /** Before the adapter terminates sockets: close each with 1012 so dashboards reconnect elsewhere. */
  async onModuleDestroy(): Promise<void> {
    await this.hub.close();
  }

  private authenticate(message: unknown): DashboardPrincipal | null {
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    return type === 'auth' ? this.tokens.verify(token) : null;
  }

  private async onMessage(client: RealtimeClient<DashboardPrincipal>, message: unknown): Promise<void> {
    const command = parseLiveCommand(message);
    if (isCommandError(command)) return client.sendError(command.code, command.message, command.details);
    const room = await this.roomFor(client, command);
    if (room === null) return;
    if (command.type === 'unsubscribe') {
      await this.hub.leave(client, room);
      return client.send({ type: 'unsubscribed', room });
    }
    if (!this.hub.roomsOf(client).has(room) && this.hub.roomsOf(client).size >= this.maxRooms)
      return client.sendError('too-many-subscriptions', `at most ${this.maxRooms} subscriptions per socket`);
    await this.hub.join(client, room);
    client.send({ type: 'subscribed', room });
  }

  /** The room a command names, after checking the token may watch it; null (and an error sent) otherwise. */
  private async roomFor(
    client: RealtimeClient<DashboardPrincipal>,
    command: LiveCommand,
  ): Promise<string | null> {
    const allowed = client.principal.wardIds;
    if (command.wardId !== undefined) {
      if (allowed !== null && !allowed.includes(command.wardId)) {
        client.sendError('forbidden', 'this token may not watch that ward', [
          { field: 'wardId', problems: ['not in the token'] },
        ]);
        return null;
      }
      return wardRoom(command.wardId);
    }
    const patientId = command.patientId as string;
    if (allowed !== null) {
      const patient = await this.queries.findPatient(patientId);
      if (!patient || patient.wardId === null || !allowed.includes(patient.wardId)) {
        client.sendError('forbidden', 'this token may not watch that patient', [
          { field: 'patientId', problems: ['not in a ward of the token'] },
        ]);
        return null;
      }
    }
    return patientRoom(patientId);
  }
}
