import WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';

export interface SendQueueOptions {
  /**
   * Bytes the socket may hold unsent (`bufferedAmount`: ws's and the kernel-facing stream's buffers)
   * before new messages wait in the queue instead. A consumer that keeps up never reaches it.
   */
  highWaterMarkBytes: number;
  /**
   * Messages the queue holds while the socket is over its high-water mark. Keyed messages replace
   * the waiting one with the same key (latest value wins), so this bounds only distinct keys and
   * unkeyed messages; past it the oldest waiting message is dropped.
   */
  maxPendingMessages: number;
  /**
   * What a full queue does with a socket that still does not read: `drop-oldest` (default) keeps the
   * socket and discards the oldest waiting message, right for latest-value streams (readings, counts);
   * `close` closes the socket with 4008 "too slow", right where every message matters (chat): the client
   * reconnects and reloads recent history instead of silently missing messages in the middle.
   */
  overflow?: 'drop-oldest' | 'close';
}

/** Counters shared by every queue of a hub (or of a test), read by metrics. */
export interface SendQueueCounters {
  sent: number;
  /** A waiting message replaced by a newer one with the same key. */
  coalesced: number;
  /** A waiting message discarded because the queue was full. */
  dropped: number;
  /** Sockets closed because their queue overflowed (`overflow: 'close'`). */
  closedSlow: number;
}

export function newSendQueueCounters(): SendQueueCounters {
  return { sent: 0, coalesced: 0, dropped: 0, closedSlow: 0 };
}

let unkeyedSequence = 0;

/**
 * The per-socket send path. `ws.send()` on its own never refuses: for a client that stops reading,
 * every message piles up in the server's memory for as long as the socket stays open. This queue
 * writes through while the socket drains, and otherwise holds at most `maxPendingMessages` messages,
 * keeping only the latest per key (per patient, per stream), so a slow consumer costs a bounded
 * amount of memory and, when it catches up, receives current values rather than a stale backlog.
 */
export class BoundedSendQueue {
  private readonly pending = new Map<string, string>();
  private pendingByteCount = 0;
  private readonly afterWrite = (): void => this.pump();

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SendQueueOptions,
    private readonly counters: SendQueueCounters = newSendQueueCounters(),
  ) {
    if (options.highWaterMarkBytes < 1 || options.maxPendingMessages < 1)
      throw new Error('BoundedSendQueue: highWaterMarkBytes and maxPendingMessages must be positive');
  }

  send(payload: string, key?: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.pending.size === 0 && this.socket.bufferedAmount < this.options.highWaterMarkBytes) {
      this.write(payload);
      return;
    }
    const slot = key === undefined ? `\u0000${(unkeyedSequence += 1)}` : key;
    const replaced = this.pending.get(slot);
    if (replaced !== undefined) {
      this.pending.delete(slot);
      this.pendingByteCount -= Buffer.byteLength(replaced);
      this.counters.coalesced += 1;
    }
    this.pending.set(slot, payload);
    this.pendingByteCount += Buffer.byteLength(payload);
    if (this.pending.size > this.options.maxPendingMessages && this.options.overflow === 'close') {
      this.closeSlowConsumer();
      return;
    }
    while (this.pending.size > this.options.maxPendingMessages) this.dropOldest();
    this.pump();
  }

  /** Messages waiting in this queue (not yet handed to the socket). */
  get pendingMessages(): number {
    return this.pending.size;
  }

  get pendingBytes(): number {
    return this.pendingByteCount;
  }

  /** Everything this socket holds in server memory: the queue plus what the socket has not flushed. */
  get heldBytes(): number {
    return this.pendingByteCount + this.socket.bufferedAmount;
  }

  clear(): void {
    this.pending.clear();
    this.pendingByteCount = 0;
  }

  private pump(): void {
    while (
      this.pending.size > 0 &&
      this.socket.readyState === WebSocket.OPEN &&
      this.socket.bufferedAmount < this.options.highWaterMarkBytes
    ) {
      const [slot, payload] = this.pending.entries().next().value as [string, string];
      this.pending.delete(slot);
      this.pendingByteCount -= Buffer.byteLength(payload);
      this.write(payload);
    }
  }

  private write(payload: string): void {
    this.counters.sent += 1;
    // The callback runs once the frame has been handed to the kernel: the moment there may be room again.
    this.socket.send(payload, this.afterWrite);
  }

  private closeSlowConsumer(): void {
    this.counters.closedSlow += 1;
    this.counters.dropped += this.pending.size;
    this.clear();
    this.socket.close(CLOSE_CODES.tooSlow, CLOSE_REASONS.tooSlow);
  }

  private dropOldest(): void {
    const oldest = this.pending.entries().next().value;
    if (!oldest) return;
    this.pending.delete(oldest[0]);
    this.pendingByteCount -= Buffer.byteLength(oldest[1]);
    this.counters.dropped += 1;
  }
}
