import type WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';

/**
 * A per-instance ceiling on open sockets. Past it a new socket is closed at once with 1013 (try again
 * later) and a reason, so a client backs off or a load balancer sends it elsewhere, instead of the
 * instance running out of memory or file descriptors with every socket it already serves.
 */
export class ConnectionLimiter {
  private open = 0;
  private refusedCount = 0;

  constructor(private readonly maxConnections: number) {
    if (!Number.isInteger(maxConnections) || maxConnections < 1)
      throw new Error(`ConnectionLimiter: maxConnections must be a positive integer, got ${maxConnections}`);
  }

  /** Counts the socket until it closes and returns true, or refuses it (1013) and returns false. */
  admit(socket: WebSocket): boolean {
    if (this.open >= this.maxConnections) {
      this.refusedCount += 1;
      socket.close(CLOSE_CODES.tryAgainLater, CLOSE_REASONS.connectionLimit);
      return false;
    }
    this.open += 1;
    socket.once('close', () => {
      this.open -= 1;
    });
    return true;
  }

  get connections(): number {
    return this.open;
  }

  get refused(): number {
    return this.refusedCount;
  }

  get limit(): number {
    return this.maxConnections;
  }
}
