import { Inject, Injectable } from '@nestjs/common';
import { currentTraceparent } from '@remedy/observability';
import type { PgPool } from '@remedy/pooling';
import type pg from 'pg';
import { PRIMARY_POOL } from '../src/database/database.tokens.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import type { WriteOutcome } from '../src/storage/vitals-writer.service.js';

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
  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: PgPool,
    @Inject(StoredStreamPublisher) private readonly stream: StoredStreamPublisher,
  ) {}

  /** The ingest session asks before each write whether to wait for room; this writer never makes it wait. */
  admission(): Promise<void> | undefined {
    return undefined;
  }

  get depth(): number {
    return 0;
  }

  async write(readings: readonly StoredReading[]): Promise<WriteOutcome> {
    for (const reading of readings) {
      await this.pool.query(
        `INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          reading.patientId,
          reading.deviceId,
          reading.recordedAt,
          reading.seq,
          reading.heartRate,
          reading.spo2,
          reading.systolic,
          reading.diastolic,
          reading.temperature,
        ],
      );
      await this.stream.publish([reading], currentTraceparent());
    }
    // The review's design knows no conflicting reading: a duplicate key fails the message instead.
    return { conflicting: new Set() };
  }

  async flush(): Promise<void> {}
}
