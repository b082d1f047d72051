import { Inject, Injectable, Optional } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Gauge, type Registry } from 'prom-client';
import { LiveGateway } from './live.gateway.js';

/** /live gauges read at scrape time from the hub: sockets, drops and coalescing (V-07), memory held for sends. */
@Injectable()
export class LiveMetrics {
  constructor(
    @Optional() @Inject(METRICS_REGISTRY) registry: Registry | undefined,
    @Inject(LiveGateway) gateway: LiveGateway,
  ) {
    if (!registry) return;
    const gauges: Array<[string, string, (stats: ReturnType<LiveGateway['stats']>) => number]> = [
      ['live_sockets', 'Open /live sockets on this instance', (s) => s.connections],
      ['live_sockets_refused', '/live sockets refused at the connection limit', (s) => s.refused],
      ['live_messages_sent', 'Messages written to /live sockets', (s) => s.sent],
      [
        'live_messages_coalesced',
        'Waiting readings replaced by a newer one for the same patient (slow sockets)',
        (s) => s.coalesced,
      ],
      ['live_messages_dropped', 'Messages dropped from a full send queue', (s) => s.dropped],
      ['live_send_held_bytes', 'Bytes queued or buffered for /live sockets', (s) => s.heldBytes],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read(gateway.stats()));
        },
      });
    }
  }
}
