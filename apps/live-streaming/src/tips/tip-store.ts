import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TipDto, TipStatus } from './tip.dto.js';

interface TipRow {
  id: string;
  stream_id: string;
  streamer_id: string;
  amount_cents: number;
  currency: string;
  status: TipStatus;
  charge_id: string | null;
  created_at: Date;
}

export interface NewTip {
  streamId: string;
  streamerId: string;
  tipperId: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

const COLUMNS = 'id, stream_id, streamer_id, amount_cents, currency, status, charge_id, created_at';

/** The tips table: one row per (tipper, idempotency key). */
@Injectable()
export class TipStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async streamerOf(streamId: string): Promise<string | undefined> {
    const rows: { user_id: string }[] = await this.dataSource.query(
      'SELECT user_id FROM streams WHERE id = $1',
      [streamId],
    );
    return rows[0]?.user_id;
  }

  /** Inserts the tip, or returns the one this tipper already started with this key (`created: false`). */
  async claim(tip: NewTip): Promise<{ tip: TipDto; created: boolean }> {
    const inserted: TipRow[] = await this.dataSource.query(
      `INSERT INTO tips (stream_id, streamer_id, tipper_id, amount_cents, currency, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tipper_id, idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [tip.streamId, tip.streamerId, tip.tipperId, tip.amountCents, tip.currency, tip.idempotencyKey],
    );
    if (inserted[0] !== undefined) return { tip: toDto(inserted[0]), created: true };
    const existing: TipRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM tips WHERE tipper_id = $1 AND idempotency_key = $2`,
      [tip.tipperId, tip.idempotencyKey],
    );
    return { tip: toDto(existing[0]!), created: false };
  }

  async settle(
    tipId: string,
    outcome: { status: 'succeeded'; chargeId: string } | { status: 'declined' },
  ): Promise<TipDto> {
    const rows: [TipRow[], number] = await this.dataSource.query(
      `UPDATE tips SET status = $2, charge_id = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [tipId, outcome.status, outcome.status === 'succeeded' ? outcome.chargeId : null],
    );
    return toDto(rows[0][0]!);
  }
}

function toDto(row: TipRow): TipDto {
  return {
    id: row.id,
    streamId: row.stream_id,
    streamerId: row.streamer_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    chargeId: row.charge_id,
    createdAt: row.created_at.toISOString(),
  };
}
