/** One issued refresh token; only the SHA-256 of its secret part is stored. */
export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  role: string;
  tokenHash: Buffer;
  expiresAt: Date;
}

export type ConsumeResult =
  | { status: 'consumed'; record: RefreshTokenRecord }
  | { status: 'reused'; familyId: string }
  | { status: 'invalid'; reason: 'unknown' | 'expired' | 'revoked' };

/** Persistence port for refresh tokens; `PgRefreshTokenStore` is the Postgres implementation. */
export interface RefreshTokenStore {
  insert(record: RefreshTokenRecord): Promise<void>;
  /**
   * Marks the token used if it is live, atomically: of two concurrent calls with one token, exactly one
   * gets `consumed`; the other sees `reused`.
   */
  consume(id: string, tokenHash: Buffer, now: Date): Promise<ConsumeResult>;
  revokeFamily(familyId: string, now: Date): Promise<number>;
}
