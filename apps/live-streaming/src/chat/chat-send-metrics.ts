import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Histogram, type Registry } from 'prom-client';

/**
 * The first part of a chat line's delivery, before the room's own (`websocket_room_*` on /metrics): from the send
 * being handled to the script that publishes it being sent to Redis (ChatLinePublisher: the rate limit, the name,
 * the history and the PUBLISH run there, and the room's transit counts from here). A socket's first line adds the
 * read of its sender's name.
 */
@Injectable()
export class ChatSendMetrics {
  private readonly toPublish: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.toPublish = new Histogram({
      name: 'chat_send_to_publish_seconds',
      help: 'Chat lines: from the send command being handled to its publishing script being sent to Redis',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  /** performance.now() when the send began to be handled, and when the script that published it was sent. */
  published(startedAt: number, sentAt: number): void {
    this.toPublish.observe((sentAt - startedAt) / 1000);
  }
}
