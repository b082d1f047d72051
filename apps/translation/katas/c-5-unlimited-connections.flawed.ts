import type { IncomingMessage } from 'node:http';
import type { AuthenticatedUser } from '@remedy/auth';
import { CLOSE_CODES, CLOSE_REASONS, RealtimeHub, type RealtimeHubOptions } from '@remedy/realtime';
import type WebSocket from 'ws';
import type { ChatHub, ChatHubFactory } from '../src/chat/chat-hub.js';

/*
 * polyglot-b:C-5 — "The architecture does not define: WebSocket connection limits per server instance". Plugged
 * in as the /chat gateway's hub factory: every socket is admitted, however many the instance already serves, until
 * memory or file descriptors run out for all of them at once.
 */
export const unlimitedHub: ChatHubFactory = (options) => new RealtimeHub(withoutLimit(options));

/*
 * Close cousin: the limit is checked once a socket has signed in. A socket that never sends its first message
 * (a slow client, or one opened only to hold a slot) is served, with its buffers and descriptor, past the limit.
 */
export const limitAfterSignInHub: ChatHubFactory = (options) => {
  let signedIn = 0;
  return new RealtimeHub({
    ...withoutLimit(options),
    onAuthenticated(client) {
      signedIn += 1;
      if (signedIn > options.maxConnections)
        client.socket.close(CLOSE_CODES.tryAgainLater, CLOSE_REASONS.connectionLimit);
      options.onAuthenticated?.(client);
    },
    onDisconnected(client) {
      signedIn -= 1;
      options.onDisconnected?.(client);
    },
  });
};

/*
 * Close cousin: the limit is checked before anything else, but a closed socket never gives its slot back. Every
 * reconnect (a network blip, a page reload, a drained instance's clients) uses one up until nobody gets in.
 */
export const slotsNeverReleasedHub: ChatHubFactory = (options) => {
  const hub = new RealtimeHub(withoutLimit(options));
  let taken = 0;
  const admitting: ChatHub = {
    accept(socket: WebSocket, request: IncomingMessage) {
      if (taken >= options.maxConnections) {
        socket.close(CLOSE_CODES.tryAgainLater, CLOSE_REASONS.connectionLimit);
        return;
      }
      taken += 1;
      hub.accept(socket, request);
    },
    join: (client, room) => hub.join(client, room),
    leave: (client, room) => hub.leave(client, room),
    publish: (room, message) => hub.publish(room, message),
    stats: () => hub.stats(),
    close: () => hub.close(),
  };
  return admitting;
};

function withoutLimit(options: RealtimeHubOptions<AuthenticatedUser>): RealtimeHubOptions<AuthenticatedUser> {
  return { ...options, maxConnections: Number.MAX_SAFE_INTEGER };
}
