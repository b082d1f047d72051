import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Gauge, type Registry } from 'prom-client';
import { ChatGateway } from './chat.gateway.js';

/**
 * /chat gauges read from the hub at scrape time (polyglot-b:M-4: "WebSocket connection count"): open and
 * signed-in sockets on this instance, and sockets refused at CHAT_MAX_CONNECTIONS since start.
 */
@Injectable()
export class ChatMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(ChatGateway) gateway: ChatGateway) {
    const gauges: Array<[string, string, (stats: ReturnType<ChatGateway['stats']>) => number]> = [
      ['chat_sockets', 'Open /chat sockets on this instance', (stats) => stats.connections],
      [
        'chat_sockets_authenticated',
        '/chat sockets signed in on this instance',
        (stats) => stats.authenticated,
      ],
      [
        'chat_sockets_refused',
        '/chat sockets refused at the connection limit since start',
        (stats) => stats.refused,
      ],
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
