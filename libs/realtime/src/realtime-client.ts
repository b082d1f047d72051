import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import type { BoundedSendQueue } from './bounded-send-queue.js';
import { PreparedTextFrame } from './prepared-text-frame.js';

/** An error as the client sees it on the socket. */
export interface SocketError {
  type: 'error';
  code: string;
  message: string;
  details?: unknown;
  /** The same message may succeed if sent again in a moment (the service was busy, not the message wrong). */
  retryable?: true;
}

/** One authenticated socket of a hub: who it is, and the only way to send to it (through its queue). */
export class RealtimeClient<P> {
  readonly id = randomUUID();

  constructor(
    readonly socket: WebSocket,
    readonly principal: P,
    private readonly queue: BoundedSendQueue,
  ) {}

  /**
   * Queues a message; with a `key`, a newer message with the same key replaces it while it waits. A string, a Buffer
   * or a PreparedTextFrame is JSON serialized already (UTF-8 in a Buffer) and goes out as it is, as a text frame: a
   * frame meant for many sockets is serialized and framed once and the same bytes handed to each.
   */
  send(message: unknown, key?: string): void {
    this.queue.send(
      typeof message === 'string' || Buffer.isBuffer(message) || message instanceof PreparedTextFrame
        ? message
        : JSON.stringify(message),
      key,
    );
  }

  sendError(code: string, message: string, details?: unknown, { retryable = false } = {}): void {
    const error: SocketError = { type: 'error', code, message };
    if (details !== undefined) error.details = details;
    if (retryable) error.retryable = true;
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
