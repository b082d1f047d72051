import type pg from 'pg';

/**
 * The reviewed design's data access (vitals review §6: "The design mentions データベースリードレプリカ … but
 * doesn't specify query routing strategy. Dashboard queries hitting primary will bottleneck writes"):
 * one connection pool, on the primary, for the ingest writes and for every dashboard and report read.
 */
export class SinglePoolVitalsStore {
  constructor(private readonly primary: pg.Pool) {}

  async store(reading: {
    patientId: string;
    deviceId: string;
    recordedAt: string;
    seq: number;
    heartRate: number;
  }): Promise<void> {
    await this.primary.query(
      'INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate) VALUES ($1, $2, $3, $4, $5)',
      [reading.patientId, reading.deviceId, reading.recordedAt, reading.seq, reading.heartRate],
    );
  }

  async latest(patientId: string): Promise<unknown> {
    const { rows } = await this.primary.query<Record<string, unknown>>(
      'SELECT * FROM vital_data WHERE patient_id = $1 ORDER BY recorded_at DESC LIMIT 1',
      [patientId],
    );
    return rows[0] ?? null;
  }

  async range(patientId: string, from: Date, to: Date): Promise<unknown[]> {
    const { rows } = await this.primary.query<Record<string, unknown>>(
      'SELECT * FROM vital_data WHERE patient_id = $1 AND recorded_at >= $2 AND recorded_at < $3 ORDER BY recorded_at DESC',
      [patientId, from, to],
    );
    return rows;
  }

  async wardPatients(wardId: string): Promise<unknown[]> {
    const { rows } = await this.primary.query<Record<string, unknown>>(
      "SELECT * FROM patients WHERE ward_id = $1 AND status = 'active'",
      [wardId],
    );
    return rows;
  }

  async report(patientId: string, from: Date, to: Date): Promise<string> {
    const rows = await this.range(patientId, from, to);
    return rows.map((row) => JSON.stringify(row)).join('\n');
  }
}
