import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { RealtimeHub } from '@remedy/realtime';
import type WebSocket from 'ws';
import type { ChatHub, ChatHubFactory } from '../src/chat/chat-hub.js';

/*
 * polyglot-b:I-1 — "JWT is transmitted via WebSocket query parameter (`?token=xxx`), which may appear in access
 * logs". Plugged in as the /chat gateway's hub factory: the upgrade URL is written to the access log as it came,
 * nothing in the URL is refused, and the `token` parameter signs the socket in (fed to the hub as if it were the
 * first message).
 */
export const queryStringTokenHub: ChatHubFactory = (options) =>
  accessLogged(new RealtimeHub({ ...options, refuseQueryString: false, tokenQueryParameters: [] }), {
    signInFromUrl: true,
  });

/*
 * Close cousin: a deny-list of credential names. `?token=` and `?access_token=` are refused, but a token under
 * a name the list lacks (`?key=`) is admitted, and the URL it came in is logged.
 */
export const knownNamesOnlyHub: ChatHubFactory = (options) =>
  accessLogged(new RealtimeHub({ ...options, refuseQueryString: false }), { signInFromUrl: false });

/* Close cousin: every URL credential is refused, but the access log writes the URL before the refusal. */
export const logsBeforeRefusingHub: ChatHubFactory = (options) =>
  accessLogged(new RealtimeHub(options), { signInFromUrl: false });

function accessLogged(hub: ChatHub, { signInFromUrl }: { signInFromUrl: boolean }): ChatHub {
  const accessLog = new Logger('ChatAccessLog');
  return {
    accept(socket: WebSocket, request: IncomingMessage) {
      accessLog.log(`GET ${request.url ?? '/'} 101`);
      hub.accept(socket, request);
      const token = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('token');
      if (signInFromUrl && token !== null)
        socket.emit('message', Buffer.from(JSON.stringify({ type: 'auth', token })), false);
    },
    join: (client, room) => hub.join(client, room),
    leave: (client, room) => hub.leave(client, room),
    publish: (room, message) => hub.publish(room, message),
    stats: () => hub.stats(),
    close: () => hub.close(),
  };
}
