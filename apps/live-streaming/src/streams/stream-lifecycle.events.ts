import { Injectable, Logger } from '@nestjs/common';

export interface StreamLifecycleEvent {
  streamId: string;
  streamerId: string;
  at: string;
}

export interface StreamLifecycleListener {
  started?(event: StreamLifecycleEvent): Promise<void>;
  ended?(event: StreamLifecycleEvent): Promise<void>;
}

/**
 * Where in-process work that follows a stream's start or end attaches (the chat's end-of-stream notice). The
 * publisher never waits for a listener: going live and ending return as soon as the row is committed, and a
 * listener's failure is logged, never the request's. Work that must not lose an event does not subscribe here:
 * go-live notices go into the transaction's outbox (GoLiveAnnouncer, livestream:C1), and the end request awaits
 * StreamArchiver, so the archive is recorded and queued before the streamer hears the stream has ended
 * (livestream:S5).
 */
@Injectable()
export class StreamLifecycleEvents {
  private readonly logger = new Logger(StreamLifecycleEvents.name);
  private readonly listeners: StreamLifecycleListener[] = [];

  subscribe(listener: StreamLifecycleListener): void {
    this.listeners.push(listener);
  }

  started(event: StreamLifecycleEvent): void {
    for (const listener of this.listeners) this.deliver('started', event, listener.started?.bind(listener));
  }

  ended(event: StreamLifecycleEvent): void {
    for (const listener of this.listeners) this.deliver('ended', event, listener.ended?.bind(listener));
  }

  private deliver(
    name: string,
    event: StreamLifecycleEvent,
    handle: ((event: StreamLifecycleEvent) => Promise<void>) | undefined,
  ): void {
    handle?.(event).catch((error: unknown) =>
      this.logger.error(`stream ${event.streamId} ${name} listener failed: ${String(error)}`),
    );
  }
}
