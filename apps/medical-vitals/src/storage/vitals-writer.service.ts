import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { currentTraceparent, runInLinkedSpan, SpanKind } from '@remedy/observability';
import type { PgPool } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { PRIMARY_POOL } from '../database/database.tokens.js';
import { IngestMetrics } from '../telemetry/ingest-metrics.service.js';
import { FifoQueue } from './fifo-queue.js';
import { inTurns } from './in-turns.js';
import { StoredStreamPublisher } from './stored-stream.publisher.js';
import type { StoredReading } from './stored-reading.js';
import {
  conflictingReadings,
  INSERT_VITALS_SQL,
  insertVitalsParameters,
  STORED_READINGS_SQL,
  storedReadingsParameters,
  type StoredReadingRow,
} from './vital-data.sql.js';
import { WriteBufferFullError } from './write-buffer-full.error.js';

/** What became of a write: the readings refused because another reading with other values holds their key. */
export interface WriteOutcome {
  conflicting: ReadonlySet<StoredReading>;
}

interface AdmissionWaiter {
  rows: number;
  admit(): void;
}

interface PendingWrite {
  readings: readonly StoredReading[];
  traceparent: string;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * The batched writer (V-04). Readings wait in a bounded in-memory buffer and leave in one statement per
 * batch, at WRITE_BATCH_ROWS rows or after WRITE_FLUSH_INTERVAL_MS (≤ 100 ms), whichever comes first.
 * The promise `write()` returns settles only after the batch has committed, the latest-vitals cache was
 * updated and the batch was appended to `vitals:stored`: the ingest gateway acks on it, so nothing
 * acknowledged can be lost. A full buffer refuses new rows (backpressure) instead of growing. A reading whose
 * key (patient, device, time) holds a row with other values is neither stored nor published: the promise
 * names it as conflicting, and the gateway refuses it instead of acking it (ADR 0024).
 *
 * Above half of WRITE_BUFFER_MAX_ROWS (the high-water mark) callers wait their turn in `admission()` instead:
 * the device's session stops reading its socket meanwhile, so an overload backs up in TCP on the
 * devices' side rather than being refused, which devices answer with resends, each costing the server again.
 */
@Injectable()
export class VitalsWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(VitalsWriter.name);
  private readonly settings: AppConfig['writer'];
  private readonly queue = new FifoQueue<PendingWrite>();
  private queuedRows = 0;
  private inFlightRows = 0;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private publishedInOrder: Promise<void> = Promise.resolve();
  private readonly waiting = new FifoQueue<AdmissionWaiter>();
  private readonly highWaterRows: number;

  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: PgPool,
    @Inject(StoredStreamPublisher) private readonly stream: StoredStreamPublisher,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = config.writer;
    this.highWaterRows = Math.max(1, Math.floor(config.writer.bufferMaxRows / 2));
  }

  /** Rows buffered or being written. */
  get depth(): number {
    return this.queuedRows + this.inFlightRows;
  }

  /**
   * undefined when `rows` more readings may be written now; otherwise a promise that resolves when it is their
   * turn, first come first served, as flushes bring the buffer under its high-water mark. A message larger
   * than the mark is let in once the buffer is empty (`write()` then decides against the hard limit).
   */
  admission(rows: number): Promise<void> | undefined {
    if (this.waiting.length === 0 && this.fitsUnderHighWater(rows, 0)) return undefined;
    return new Promise<void>((admit) => this.waiting.push({ rows, admit }));
  }

  /** Callers waiting in `admission()`. */
  get waitingForAdmission(): number {
    return this.waiting.length;
  }

  private fitsUnderHighWater(rows: number, admitted: number): boolean {
    const depth = this.depth + admitted;
    return depth === 0 || depth + rows <= this.highWaterRows;
  }

  /**
   * Lets waiters in while they fit. Those admitted here write a moment later (after their rate check), so what
   * this call admitted counts against the mark too; a later call may still overshoot it by a few messages,
   * which the hard limit in `write()` bounds.
   */
  private admitWaiting(): void {
    let admitted = 0;
    for (let next = this.waiting.peek(); next !== undefined; next = this.waiting.peek()) {
      if (!this.fitsUnderHighWater(next.rows, admitted)) return;
      this.waiting.take();
      admitted += next.rows;
      next.admit();
    }
  }

  /**
   * Resolves once the readings are durably stored and published, naming those refused as conflicting;
   * throws WriteBufferFullError at once when full.
   */
  write(readings: readonly StoredReading[]): Promise<WriteOutcome> {
    if (readings.length === 0) return Promise.resolve(NOTHING_CONFLICTING);
    if (this.depth + readings.length > this.settings.bufferMaxRows) {
      throw new WriteBufferFullError(this.depth, this.settings.bufferMaxRows);
    }
    const traceparent = currentTraceparent();
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ readings, traceparent, resolve, reject });
    });
    this.queuedRows += readings.length;
    this.metrics.bufferDepth.set(this.depth);
    if (this.queuedRows >= this.settings.batchRows) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.settings.flushIntervalMs);
    return done;
  }

  /** Writes everything buffered and waits for every batch in flight (graceful shutdown, tests). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      this.pump();
      await Promise.allSettled([...this.inFlight]);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 && this.inFlight.size < this.settings.maxConcurrentFlushes) {
      const batch = this.takeBatch();
      const flight = this.writeBatch(batch).finally(() => {
        this.inFlight.delete(flight);
        this.pump();
      });
      this.inFlight.add(flight);
    }
    if (this.queue.length > 0) this.timer ??= setTimeout(() => this.pump(), this.settings.flushIntervalMs);
  }

  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    let rows = 0;
    for (
      let next = this.queue.peek();
      next !== undefined && (rows === 0 || rows + next.readings.length <= this.settings.batchRows);
      next = this.queue.peek()
    ) {
      this.queue.take();
      batch.push(next);
      rows += next.readings.length;
    }
    this.queuedRows -= rows;
    this.inFlightRows += rows;
    return batch;
  }

  private async writeBatch(batch: PendingWrite[]): Promise<void> {
    const readings = batch.flatMap((pending) => pending.readings);
    const traceparents = batch.map((pending) => pending.traceparent);
    const started = performance.now();
    let conflicting: ReadonlySet<StoredReading> = NOTHING_CONFLICTING.conflicting;
    let settle: (pending: PendingWrite) => void;
    try {
      await runInLinkedSpan(
        'vitals.flush',
        {
          parent: traceparents[0],
          links: traceparents,
          kind: SpanKind.PRODUCER,
          attributes: { rows: readings.length },
        },
        async () => {
          // Batches commit concurrently but are published in the order they left the buffer, so the stream
          // (and the alert evaluator's episodes) see each device's readings in order. This runs synchronously
          // up to the first await, which keeps the chain in call order.
          const inserted = this.pool
            .query(INSERT_VITALS_SQL, insertVitalsParameters(readings))
            .then(async (result) => (result.rowCount === readings.length ? [] : this.conflictsIn(readings)));
          const previous = this.publishedInOrder;
          const published = (async () => {
            conflicting = new Set(await inserted);
            await previous;
            const accepted =
              conflicting.size === 0 ? readings : readings.filter((reading) => !conflicting.has(reading));
            if (accepted.length > 0) await this.publishCommitted(accepted);
          })();
          this.publishedInOrder = published.catch(() => undefined);
          await published;
        },
      );
      this.metrics.flushDuration.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
      this.metrics.batchSize.observe(readings.length);
      this.metrics.stored.inc(readings.length - conflicting.size);
      const outcome = conflicting.size === 0 ? NOTHING_CONFLICTING : { conflicting };
      settle = (pending) => pending.resolve(outcome);
    } catch (error) {
      this.metrics.flushDuration.observe({ outcome: 'error' }, (performance.now() - started) / 1000);
      this.logger.error(`flush of ${readings.length} readings failed: ${String(error)}`);
      settle = (pending) => pending.reject(error);
    } finally {
      this.inFlightRows -= readings.length;
      this.metrics.bufferDepth.set(this.depth);
      this.admitWaiting();
    }
    // Each settled write is a device's ack (or error reply): a JSON.stringify and a socket write. Settled in one
    // go, a batch of 1,000 messages held the event loop for the whole of them (the longest tasks of the API's
    // CPU profile under the 5,000-device bench), and with it the next batch's Redis replies on the way to the
    // dashboards and the readings arriving meanwhile. A few dozen per turn keep those moving between slices.
    await inTurns(batch, SETTLED_PER_TURN, settle);
  }

  /**
   * Publishes a committed batch, trying once more before the batch fails. The usual failure is ioredis's
   * `Command timed out` after an event-loop stall: the timer phase runs before the reply waiting in the socket
   * is read, so Redis answered but the command counts as failed. Failing the batch then made every device of
   * it resend (insert, conflict check and publish again, for readings already stored); the second publish
   * costs one round trip. Either way the entry may be on the stream twice, which its consumers tolerate (the
   * evaluator is idempotent, a dashboard keeps the newest reading per patient).
   */
  private async publishCommitted(readings: readonly StoredReading[]): Promise<void> {
    try {
      await this.stream.publish(readings, currentTraceparent());
    } catch (error) {
      this.logger.warn(`publishing a stored batch of ${readings.length} failed, once more: ${String(error)}`);
      await this.stream.publish(readings, currentTraceparent());
    }
  }

  /**
   * Only when the insert stored fewer rows than it was given: a resend (the stored row has the same values,
   * so it counts as stored) or a conflict (another reading of that device at that instant, refused).
   */
  private async conflictsIn(readings: readonly StoredReading[]): Promise<StoredReading[]> {
    const { rows } = await this.pool.query<StoredReadingRow>(
      STORED_READINGS_SQL,
      storedReadingsParameters(readings),
    );
    const conflicting = conflictingReadings(readings, rows);
    if (conflicting.length > 0) {
      this.logger.warn(`${conflicting.length} readings refused: another reading holds their device and time`);
    }
    return conflicting;
  }
}

const NOTHING_CONFLICTING: WriteOutcome = { conflicting: new Set() };

/** Writes of a committed batch settled per turn of the event loop (see writeBatch). */
const SETTLED_PER_TURN = 50;
