import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Histogram, type Registry } from 'prom-client';

/**
 * The first part of a chat line's delivery, before the room's own (`websocket_room_*` on /metrics): from the send
 * being handled to its PUBLISH, the rate limit, the sender's name and the history append in Redis between.
 */
@Injectable()
export class ChatSendMetrics {
  private readonly toPublish: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.toPublish = new Histogram({
      name: 'chat_send_to_publish_seconds',
      help: 'Chat lines: from the send command being handled to its PUBLISH (rate limit, name, history)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  /** `startedAt`: performance.now() when the send began to be handled. */
  published(startedAt: number): void {
    this.toPublish.observe((performance.now() - startedAt) / 1000);
  }
}
