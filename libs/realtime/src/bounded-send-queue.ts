import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from './close-codes.js';
import { PreparedTextFrame } from './prepared-text-frame.js';

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
 * A queued message: JSON text, its UTF-8 bytes, or, when the same message goes to many sockets, its WebSocket frame
 * built once by the caller (written as it is to the socket's connection: see `write`).
 */
export type SendPayload = string | Buffer | PreparedTextFrame;

/** Every payload leaves as a text frame: `ws` would send a Buffer as a binary one, which a browser hands over as a Blob. */
const TEXT_FRAME = { binary: false } as const;

/**
 * The connection under a WebSocket (`request.socket` of its upgrade): corked, it holds writes until uncorked
 * and then hands them to the kernel in one writev; a prepared frame is written to it directly.
 */
export type CorkableTransport = Pick<Duplex, 'cork' | 'uncork' | 'write'>;

function byteLength(payload: SendPayload): number {
  return payload instanceof PreparedTextFrame ? payload.wire.length : Buffer.byteLength(payload);
}

/**
 * The per-socket send path. `ws.send()` on its own never refuses: for a client that stops reading,
 * every message piles up in the server's memory for as long as the socket stays open. This queue
 * writes through while the socket drains, and otherwise holds at most `maxPendingMessages` messages,
 * keeping only the latest per key (per patient, per stream), so a slow consumer costs a bounded
 * amount of memory and, when it catches up, receives current values rather than a stale backlog.
 */
export class BoundedSendQueue {
  private readonly pending = new Map<string, SendPayload>();
  private pendingByteCount = 0;
  private readonly afterWrite = (): void => this.pump();
  private corked = false;
  private uncompressed: boolean | undefined;
  /** Characters or bytes written since the transport was corked (no more than their bytes: UTF-8 never has fewer). */
  private corkedLength = 0;

  /**
   * The queues whose transport was corked in this tick, all uncorked by one process.nextTick: a room frame corks
   * every socket of the room at once, and a nextTick per socket was a measurable share of the frame's cost.
   */
  private static readonly corkedThisTick: BoundedSendQueue[] = [];
  private static readonly uncorkAll = (): void => {
    // A write callback that writes again corks into the next tick's list, not this one.
    for (const queue of BoundedSendQueue.corkedThisTick.splice(0)) queue.uncork();
  };

  /**
   * With `transport`, the frames written in one tick leave in one write: a room message fanned out from one
   * Redis batch is many frames for a ward page's socket (one per reading), and one system call each was the
   * largest cost of a push. Frames are not held past the current tick (uncorked on process.nextTick), nor
   * beyond a high-water mark's worth: they count in `bufferedAmount` without saying anything about the
   * consumer, so they are left out of its check, and once they reach the mark they are handed over at once.
   */
  constructor(
    private readonly socket: WebSocket,
    private readonly options: SendQueueOptions,
    private readonly counters: SendQueueCounters = newSendQueueCounters(),
    private readonly transport?: CorkableTransport,
  ) {
    if (options.highWaterMarkBytes < 1 || options.maxPendingMessages < 1)
      throw new Error('BoundedSendQueue: highWaterMarkBytes and maxPendingMessages must be positive');
  }

  send(payload: SendPayload, key?: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.pending.size === 0 && this.hasRoom()) {
      this.write(payload);
      return;
    }
    const slot = key === undefined ? `\u0000${(unkeyedSequence += 1)}` : key;
    const replaced = this.pending.get(slot);
    if (replaced !== undefined) {
      this.pending.delete(slot);
      this.pendingByteCount -= byteLength(replaced);
      this.counters.coalesced += 1;
    }
    this.pending.set(slot, payload);
    this.pendingByteCount += byteLength(payload);
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
    while (this.pending.size > 0 && this.socket.readyState === WebSocket.OPEN && this.hasRoom()) {
      const [slot, payload] = this.pending.entries().next().value as [string, SendPayload];
      this.pending.delete(slot);
      this.pendingByteCount -= byteLength(payload);
      this.write(payload);
    }
  }

  /** Whether what the socket holds apart from the corked frames, the consumer's backlog, is under the mark. */
  private hasRoom(): boolean {
    return this.socket.bufferedAmount - this.corkedLength < this.options.highWaterMarkBytes;
  }

  private write(payload: SendPayload): void {
    this.counters.sent += 1;
    if (this.transport) {
      if (!this.corked) {
        this.corked = true;
        this.transport.cork();
        if (BoundedSendQueue.corkedThisTick.push(this) === 1) process.nextTick(BoundedSendQueue.uncorkAll);
      } else if (this.corkedLength >= this.options.highWaterMarkBytes) {
        // Hand what is corked to the kernel now and cork again (the scheduled uncork ends this one).
        this.transport.uncork();
        this.transport.cork();
        this.corkedLength = 0;
      }
      this.corkedLength += payload instanceof PreparedTextFrame ? payload.wire.length : payload.length;
    }
    // The callback runs once the frame has been handed to the kernel: the moment there may be room again.
    if (!(payload instanceof PreparedTextFrame)) this.socket.send(payload, TEXT_FRAME, this.afterWrite);
    else if (this.transport !== undefined && this.isUncompressed())
      this.transport.write(payload.wire, this.afterWrite);
    else this.socket.send(payload.payload, TEXT_FRAME, this.afterWrite);
  }

  /**
   * Whether a prepared frame may go straight to the connection: `ws` writes each of its own frames to it whole and
   * at once unless it compresses (permessage-deflate queues frames while deflating), so a frame written beside them
   * can neither split one nor overtake one. With compression negotiated the frame goes through `ws`.
   */
  private isUncompressed(): boolean {
    this.uncompressed ??= this.socket.extensions === '';
    return this.uncompressed;
  }

  private uncork(): void {
    this.corked = false;
    this.corkedLength = 0;
    this.transport?.uncork();
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
    this.pendingByteCount -= byteLength(oldest[1]);
    this.counters.dropped += 1;
  }
}
