import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../observability.tokens.js';

/** Fine below a frame window (100 ms) and up to a few seconds: a room's delivery goal is a few hundred ms. */
const ROOM_DELIVERY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1,
  2.5, 5,
];

/** What a realtime hub reports of each room message (RoomDeliveryTimings of @remedy/realtime), in ms. */
export interface RoomDeliveryObserver {
  transit(ms: number): void;
  frameWait(ms: number): void;
  fanOut(ms: number): void;
}

/**
 * The open WebSocket connection gauge, which gateways call from their connect and disconnect handlers, and where a
 * room message's time goes on an instance: Redis (publish → read), the frame window, the fan-out to the room's
 * sockets. What a client sees beyond their sum is the network and its own receiving.
 */
@Injectable()
export class WebSocketMetrics {
  private readonly connections: Gauge<'gateway'>;
  private readonly transit: Histogram<'gateway'>;
  private readonly frameWait: Histogram<'gateway'>;
  private readonly fanOut: Histogram<'gateway'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.connections = new Gauge({
      name: 'websocket_connections',
      help: 'Open WebSocket connections per gateway',
      labelNames: ['gateway'],
      registers: [registry],
    });
    const histogram = (name: string, help: string): Histogram<'gateway'> =>
      new Histogram({
        name,
        help,
        labelNames: ['gateway'],
        buckets: ROOM_DELIVERY_BUCKETS,
        registers: [registry],
      });
    this.transit = histogram(
      'websocket_room_message_transit_seconds',
      'Room messages: from the PUBLISH (publisher clock) to this instance reading it from Redis',
    );
    this.frameWait = histogram(
      'websocket_room_frame_wait_seconds',
      'Room messages: from this instance reading it to the fan-out of its frame starting (the frame window)',
    );
    this.fanOut = histogram(
      'websocket_room_fanout_seconds',
      "Room frames: from the fan-out starting to the last of the room's local sockets written",
    );
  }

  connected(gateway: string): void {
    this.connections.inc({ gateway });
  }

  disconnected(gateway: string): void {
    this.connections.dec({ gateway });
  }

  /** The hub option `timings` of a gateway's RealtimeHub. */
  roomDeliveryTimings(gateway: string): RoomDeliveryObserver {
    const transit = this.transit.labels({ gateway });
    const frameWait = this.frameWait.labels({ gateway });
    const fanOut = this.fanOut.labels({ gateway });
    return {
      // A host whose clock is behind the publisher's would read below 0: counted as 0.
      transit: (ms) => transit.observe(Math.max(0, ms) / 1000),
      frameWait: (ms) => frameWait.observe(ms / 1000),
      fanOut: (ms) => fanOut.observe(ms / 1000),
    };
  }
}
