import { Injectable, Logger } from '@nestjs/common';
import type { StoredReading } from './stored-reading.js';

/** Hears of each batch once it is committed and its cache writes and stream entry are in Redis. */
export type StoredBatchListener = (readings: readonly StoredReading[], traceparent: string) => void;

/**
 * Where the write path hands its committed batches to the read side in this process (the /live push), in
 * commit order and without waiting for it: a listener starts its own work and returns, so the device's ack
 * never waits on a dashboard. A listener that throws is logged and skipped; the batch stays stored and acked.
 */
@Injectable()
export class StoredBatchListeners {
  private readonly logger = new Logger(StoredBatchListeners.name);
  private readonly listeners = new Set<StoredBatchListener>();

  /** Returns the function that removes the listener again. */
  add(listener: StoredBatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(readings: readonly StoredReading[], traceparent: string): void {
    for (const listener of this.listeners) {
      try {
        listener(readings, traceparent);
      } catch (error) {
        this.logger.error(`a stored-batch listener failed: ${String(error)}`);
      }
    }
  }
}
