import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../observability.tokens.js';

/** The open WebSocket connection gauge; gateways call it from their connect and disconnect handlers. */
@Injectable()
export class WebSocketMetrics {
  private readonly connections: Gauge<'gateway'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.connections = new Gauge({
      name: 'websocket_connections',
      help: 'Open WebSocket connections per gateway',
      labelNames: ['gateway'],
      registers: [registry],
    });
  }

  connected(gateway: string): void {
    this.connections.inc({ gateway });
  }

  disconnected(gateway: string): void {
    this.connections.dec({ gateway });
  }
}
