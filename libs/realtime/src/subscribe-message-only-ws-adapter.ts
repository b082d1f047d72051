import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';

/**
 * Nest's WsAdapter, except that a socket of a gateway without @SubscribeMessage handlers gets no message
 * routing. The stock adapter parses every frame as JSON and runs it through an rxjs pipeline looking for a
 * handler even when the gateway has none, so a gateway that reads its sockets itself (an ingest socket, a
 * first-message-auth socket) pays for each message twice: two JSON.parse, one of them thrown away.
 */
export class SubscribeMessageOnlyWsAdapter extends WsAdapter {
  override bindMessageHandlers(
    client: unknown,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length === 0) return;
    super.bindMessageHandlers(client, handlers, transform);
  }
}
