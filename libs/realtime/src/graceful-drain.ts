import WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';

/**
 * Closes every socket with 1012 "service restart, reconnect" and waits for the close handshakes, so
 * clients know to reconnect (to another instance) rather than treat the drop as an error; sockets
 * that have not answered by `timeoutMs` are terminated.
 */
export async function drainSockets(sockets: Iterable<WebSocket>, timeoutMs: number): Promise<void> {
  const closing = [...sockets].filter((socket) => socket.readyState !== WebSocket.CLOSED);
  await Promise.all(
    closing.map(
      (socket) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            socket.terminate();
            resolve();
          }, timeoutMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          if (socket.readyState === WebSocket.OPEN)
            socket.close(CLOSE_CODES.serviceRestart, CLOSE_REASONS.draining);
        }),
    ),
  );
}
