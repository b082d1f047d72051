import { Inject, Injectable } from '@nestjs/common';
import { currentTraceparent } from '@remedy/observability';
import type { PgPool } from '@remedy/pooling';
import type pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { PRIMARY_POOL } from '../src/database/database.tokens.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { INSERT_VITALS_SQL, insertVitalsParameters } from '../src/storage/vital-data.sql.js';
import type { WriteOutcome } from '../src/storage/vitals-writer.service.js';

interface PendingWrite {
  readings: readonly StoredReading[];
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * vitals:V-04, the original design: the WebSocket server "writes each vital record immediately"
 * (DBに即時保存) — one INSERT, one round trip and one commit (one WAL flush) per reading. At 5,000
 * devices × 1 reading/s that is 5,000 statements a second, whatever the pool size.
 */
export const KATA_V04_SQL = `
CREATE TABLE IF NOT EXISTS kata_v04_vital_data (
  data_id BIGSERIAL PRIMARY KEY,
  patient_id uuid NOT NULL,
  device_id uuid NOT NULL,
  timestamp timestamptz NOT NULL,
  heart_rate smallint,
  spo2 smallint,
  systolic smallint,
  diastolic smallint,
  temperature numeric(4, 1)
)`;

export interface KataV04Reading {
  patientId: string;
  deviceId: string;
  recordedAt: string;
  heartRate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}

/** The message handler: store the reading, then ack. */
export async function onVitalMessage(pool: pg.Pool, reading: KataV04Reading): Promise<void> {
  await pool.query(
    `INSERT INTO kata_v04_vital_data (patient_id, device_id, timestamp, heart_rate, spo2, systolic, diastolic, temperature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      reading.patientId,
      reading.deviceId,
      reading.recordedAt,
      reading.heartRate,
      reading.spo2,
      reading.systolic,
      reading.diastolic,
      reading.temperature,
    ],
  );
}

/**
 * The same design in place of the service's VitalsWriter: each reading of a message is INSERTed on its own,
 * one after another, as it arrives, then published downstream like the batched writer does, so the ingest
 * gateway, acks and stream are the service's own and only the write differs. Nothing is buffered, so there
 * is nothing to flush.
 */
@Injectable()
export class InsertPerReadingWriter {
  private pending: PendingWrite[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Batches are written one after another, so the stream sees each device's readings in order. */
  private written: Promise<void> = Promise.resolve();

  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: PgPool,
    @Inject(StoredStreamPublisher) private readonly stream: StoredStreamPublisher,
    /** A batch leaves at WRITE_BATCH_ROWS rows, or WRITE_FLUSH_INTERVAL_MS after its first reading came. */
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The ingest session asks before each write whether to wait for room; this writer never makes it wait. */
  admission(): Promise<void> | undefined {
    return undefined;
  }

  get depth(): number {
    return this.pendingRows;
  }

  // Readings wait in a buffer and leave in one multi-row INSERT per batch. The promise settles only after the
  // batch committed and was published: the gateway acks on it, so nothing acknowledged can be lost. (The
  // service's VitalsWriter also bounds the buffer, writes batches concurrently and names conflicting readings.)
  write(readings: readonly StoredReading[]): Promise<WriteOutcome> {
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      this.pending.push({ readings, resolve, reject });
    });
    this.pendingRows += readings.length;
    if (this.pendingRows >= this.config.writer.batchRows) this.writeBatch();
    else this.timer ??= setTimeout(() => this.writeBatch(), this.config.writer.flushIntervalMs);
    return done;
  }

  async flush(): Promise<void> {
    this.writeBatch();
    await this.written;
  }

  private writeBatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const readings = batch.flatMap((pending) => pending.readings);
    const traceparent = currentTraceparent();
    this.written = this.written.then(async () => {
      try {
        await this.pool.query(INSERT_VITALS_SQL, insertVitalsParameters(readings));
        await this.stream.publish(readings, traceparent);
        for (const pending of batch) pending.resolve({ conflicting: new Set() });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      } finally {
        this.pendingRows -= readings.length;
      }
    });
  }
}
