import { PgRefreshTokenStore, TokenService } from '@remedy/auth';
import type pg from 'pg';
import type { AppConfig } from '../../src/config.js';

export interface SeededOrganisation {
  organisationId: string;
  /** Access tokens of the organisation's editors, in seeding order. */
  editorTokens: string[];
  editorIds: string[];
}

/**
 * An organisation with `editors` editor accounts, written in SQL: a signup per editor would spend the bench on
 * password hashing. Their sessions are started by @remedy/auth's TokenService, as a login starts them.
 */
export async function seedOrganisation(
  pool: pg.Pool,
  config: AppConfig,
  editors: number,
): Promise<SeededOrganisation> {
  const { rows } = await pool.query<{ organisation_id: string; id: string }>(
    `WITH organisation AS (INSERT INTO organisations (name) VALUES ('bench') RETURNING id)
     INSERT INTO users (organisation_id, email, display_name, role, password_hash)
     SELECT organisation.id, 'editor-' || n || '@bench.example', 'editor ' || n, 'editor', 'not-a-hash'
       FROM organisation, generate_series(1, $1::int) n
     RETURNING organisation_id, id`,
    [editors],
  );
  const tokens = new TokenService({
    accessTokenSecret: config.auth.accessTokenSecret,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    refreshTokenStore: new PgRefreshTokenStore(pool),
    clock: Date.now,
  });
  const editorIds = rows.map((row) => row.id);
  return {
    organisationId: rows[0]!.organisation_id,
    editorIds,
    editorTokens: await Promise.all(
      editorIds.map(async (id) => (await tokens.startSession({ id, role: 'editor' })).accessToken),
    ),
  };
}

/** A document of the organisation, owned by `ownerId`; returns its id. */
export async function seedDocument(
  pool: pg.Pool,
  organisationId: string,
  ownerId: string,
  title: string,
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO documents (organisation_id, owner_id, title) VALUES ($1, $2, $3) RETURNING id',
    [organisationId, ownerId, title],
  );
  return rows[0]!.id;
}
