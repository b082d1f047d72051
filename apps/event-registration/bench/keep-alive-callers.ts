import { connect, type Socket } from 'node:net';
import type { BurstOutcome } from '../findings/support/registration-burst.js';

/** Status recorded for a call whose connection failed or closed before a whole response came back. */
export const NO_RESPONSE = 0;

const HEADER_END = '\r\n\r\n';

/**
 * The bench's callers: one keep-alive HTTP/1.1 connection per caller (a browser's), each sending
 * `POST /events/:id/registrations` with its own bearer token and reading the whole response. What undici's
 * `fetch` did before, at a fraction of the CPU: fetch spent about as much per call as the API itself (WHATWG
 * streams, headers objects, its connection pool), and on a machine where the load generator shares the cores
 * with the server and Postgres, that was billed to the service. Like autocannon, it parses only what a caller
 * needs: the status line and Content-Length (the API always sends one; anything else is a failed call).
 */
export class KeepAliveCallers {
  private readonly connections = new Map<number, Socket>();
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  async burst(eventId: string, tokens: readonly string[]): Promise<BurstOutcome> {
    const statuses = new Map<number, number>();
    const path = `/events/${eventId}/registrations`;
    const latenciesMs = await Promise.all(
      tokens.map(async (token, caller) => {
        const started = performance.now();
        const status = await this.call(caller, path, token);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        return performance.now() - started;
      }),
    );
    return { statuses, latenciesMs: latenciesMs.sort((a, b) => a - b) };
  }

  close(): void {
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
  }

  private call(caller: number, path: string, token: string): Promise<number> {
    const socket = this.connectionOf(caller);
    return new Promise((resolve) => {
      let received = '';
      const finish = (status: number, keepAlive: boolean): void => {
        socket.off('data', onData);
        socket.off('close', onClose);
        if (!keepAlive) this.drop(caller, socket);
        resolve(status);
      };
      const onClose = (): void => finish(NO_RESPONSE, false);
      // Responses are small JSON: latin1 keeps byte offsets equal to string offsets for Content-Length.
      const onData = (chunk: Buffer): void => {
        received += chunk.toString('latin1');
        const headerEnd = received.indexOf(HEADER_END);
        if (headerEnd === -1) return;
        const head = received.slice(0, headerEnd);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) return finish(NO_RESPONSE, false);
        if (received.length < headerEnd + HEADER_END.length + Number(length[1])) return;
        finish(Number(head.slice(9, 12)), !/\r\nconnection:\s*close/i.test(head));
      };
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\n\r\n`,
      );
    });
  }

  private connectionOf(caller: number): Socket {
    const open = this.connections.get(caller);
    if (open && !open.destroyed) return open;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    // A refused or reset connection surfaces as 'close' on the pending call: a NO_RESPONSE, not a crash.
    socket.on('error', () => undefined);
    this.connections.set(caller, socket);
    return socket;
  }

  private drop(caller: number, socket: Socket): void {
    socket.destroy();
    if (this.connections.get(caller) === socket) this.connections.delete(caller);
  }
}
