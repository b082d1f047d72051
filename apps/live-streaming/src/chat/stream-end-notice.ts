import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { StreamLifecycleEvents } from '../streams/stream-lifecycle.events.js';
import { ChatGateway } from './chat.gateway.js';

/**
 * Tells a stream's chat room that the stream ended (`{"type":"ended","streamId"}`), so an open viewer page stops
 * the chat and offers the recording instead of waiting for its next reconnect. Best effort, as Redis pub/sub is:
 * a socket that misses the notice learns it on its next `join` (`stream-not-live`).
 */
@Injectable()
export class StreamEndNotice implements OnModuleInit {
  constructor(
    @Inject(StreamLifecycleEvents) private readonly events: StreamLifecycleEvents,
    @Inject(ChatGateway) private readonly gateway: ChatGateway,
  ) {}

  onModuleInit(): void {
    this.events.subscribe({ ended: (event) => this.gateway.announceEnded(event.streamId) });
  }
}
