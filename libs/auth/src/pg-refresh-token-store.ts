import type pg from 'pg';
import type { ConsumeResult, RefreshTokenRecord, RefreshTokenStore } from './refresh-token-store.js';

interface TokenRow {
  id: string;
  family_id: string;
  user_id: string;
  role: string;
  token_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

function toRecord(row: TokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    familyId: row.family_id,
    userId: row.user_id,
    role: row.role,
    tokenHash: row.token_hash,
    expiresAt: row.expires_at,
  };
}

/** Refresh tokens in Postgres (`auth_refresh_tokens`); every operation is one statement. */
export class PgRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async insert(record: RefreshTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO auth_refresh_tokens (id, family_id, user_id, role, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [record.id, record.familyId, record.userId, record.role, record.tokenHash, record.expiresAt],
    );
  }

  async consume(id: string, tokenHash: Buffer, now: Date): Promise<ConsumeResult> {
    // The conditional UPDATE is the one-time-use guarantee: row locking lets only one caller flip used_at.
    const consumed = await this.pool.query<TokenRow>(
      `UPDATE auth_refresh_tokens SET used_at = $3
        WHERE id = $1 AND token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3
        RETURNING *`,
      [id, tokenHash, now],
    );
    if (consumed.rows[0]) return { status: 'consumed', record: toRecord(consumed.rows[0]) };
    const existing = await this.pool.query<TokenRow>(
      `SELECT * FROM auth_refresh_tokens WHERE id = $1 AND token_hash = $2`,
      [id, tokenHash],
    );
    const row = existing.rows[0];
    if (!row) return { status: 'invalid', reason: 'unknown' };
    if (row.revoked_at) return { status: 'invalid', reason: 'revoked' };
    if (row.used_at) return { status: 'reused', familyId: row.family_id };
    return { status: 'invalid', reason: 'expired' };
  }

  async revokeFamily(familyId: string, now: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE auth_refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, now],
    );
    return result.rowCount ?? 0;
  }
}
