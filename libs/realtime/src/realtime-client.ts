import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import type { BoundedSendQueue } from './bounded-send-queue.js';

/** An error as the client sees it on the socket. */
export interface SocketError {
  type: 'error';
  code: string;
  message: string;
  details?: unknown;
}

/** One authenticated socket of a hub: who it is, and the only way to send to it (through its queue). */
export class RealtimeClient<P> {
  readonly id = randomUUID();

  constructor(
    readonly socket: WebSocket,
    readonly principal: P,
    private readonly queue: BoundedSendQueue,
  ) {}

  /** Queues a message; with a `key`, a newer message with the same key replaces it while it waits. */
  send(message: unknown, key?: string): void {
    this.queue.send(typeof message === 'string' ? message : JSON.stringify(message), key);
  }

  sendError(code: string, message: string, details?: unknown): void {
    const error: SocketError =
      details === undefined ? { type: 'error', code, message } : { type: 'error', code, message, details };
    this.queue.send(JSON.stringify(error));
  }

  /** Bytes this client holds in server memory (queued plus not yet flushed by the socket). */
  get heldBytes(): number {
    return this.queue.heldBytes;
  }

  get pendingMessages(): number {
    return this.queue.pendingMessages;
  }
}
