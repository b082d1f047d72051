import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import { WebSocketMetrics } from '@remedy/observability';
import type { PartitionPolicy } from '@remedy/partitioning';
import { hasQueryString, hasTokenInUrl } from '@remedy/realtime';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { vitalDataPolicy } from '../lifecycle/vital-data.policy.js';
import { DeviceDirectory } from '../registry/devices/device-directory.service.js';
import { VitalsWriter } from '../storage/vitals-writer.service.js';
import { IngestMetrics } from '../telemetry/ingest-metrics.service.js';
import { DeviceRateLimiter } from './device-rate-limiter.service.js';
import { DeviceSession } from './device-session.js';
import { CLOSE_PROTOCOL, CLOSE_RESTARTING, CLOSE_UNAUTHORIZED } from './ingest-protocol.js';

const GATEWAY = 'ingest';

/** Devices connect here (WebSocket /ingest); see DeviceSession for the protocol. */
// maxPayload: ws accepts 100 MiB frames by default; a reading message is a few hundred bytes.
@WebSocketGateway({ path: '/ingest', maxPayload: 256 * 1024 })
export class IngestGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(IngestGateway.name);
  private readonly sessions = new Map<WebSocket, DeviceSession>();
  private draining = false;
  private readonly vitalData: PartitionPolicy;

  constructor(
    @Inject(DeviceDirectory) private readonly directory: DeviceDirectory,
    @Inject(DeviceRateLimiter) private readonly limiter: DeviceRateLimiter,
    @Inject(VitalsWriter) private readonly writer: VitalsWriter,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(WebSocketMetrics) private readonly sockets: WebSocketMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.vitalData = vitalDataPolicy(config.lifecycle);
    // A session keeps the identity it authenticated with; a registry change on any instance must reach it
    // before its next reading. Changes are rare (staff actions), so a scan of the open sessions is enough.
    directory.onChange((deviceId) => {
      for (const session of this.sessions.values()) if (session.deviceId === deviceId) session.reassign();
    });
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    // A token in the URL ends up in proxy and access logs: refused, whatever else the request says. /ingest
    // takes no URL parameters, so any query string is refused: a credential can hide under any name.
    const refusal = urlRefusal(request);
    if (refusal !== undefined) {
      socket.send(JSON.stringify({ type: 'error', ...refusal }));
      socket.close(refusal.code === 'token_in_url' ? CLOSE_UNAUTHORIZED : CLOSE_PROTOCOL, refusal.code);
      return;
    }
    if (this.draining) {
      socket.close(CLOSE_RESTARTING, 'shutting down');
      return;
    }
    this.sockets.connected(GATEWAY);
    const session = new DeviceSession(socket, {
      directory: this.directory,
      limiter: this.limiter,
      writer: this.writer,
      metrics: this.metrics,
      config: this.config,
      vitalData: this.vitalData,
      logger: this.logger,
      isDraining: () => this.draining,
    });
    this.sessions.set(socket, session);
    socket.on('error', (error) => this.logger.warn(`device socket error: ${error.message}`));
  }

  handleDisconnect(socket: WebSocket): void {
    if (this.sessions.delete(socket)) this.sockets.disconnected(GATEWAY);
  }

  /**
   * Graceful shutdown, first step: refuse new readings, flush what was accepted, send the acks, then
   * close every device with 1012 so it reconnects to another instance.
   */
  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.sessions.values()].map((session) => session.settled()));
    await this.writer.flush();
    await Promise.all([...this.sessions.values()].map((session) => session.settled()));
    for (const socket of this.sessions.keys()) socket.close(CLOSE_RESTARTING, 'server restarting, reconnect');
    this.logger.log(`ingest drained: ${this.sessions.size} devices asked to reconnect`);
  }
}

/** Why the upgrade URL is refused: a known credential name (4401), any other query string (4400), or not. */
function urlRefusal(
  request: IncomingMessage,
): { code: 'token_in_url' | 'query_string'; message: string } | undefined {
  if (hasTokenInUrl(request)) return { code: 'token_in_url', message: 'send the token in the auth message' };
  if (hasQueryString(request)) {
    return {
      code: 'query_string',
      message: '/ingest takes no URL parameters: send the token in the auth message',
    };
  }
  return undefined;
}
