/*
 * No foreign key to a users table: the library does not know the app's schema, and a user's tokens are
 * revoked through their families (or expire) rather than cascaded.
 */
export const REFRESH_TOKEN_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id text NOT NULL,
  role text NOT NULL,
  token_hash bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_family_idx ON auth_refresh_tokens (family_id) WHERE revoked_at IS NULL;
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_expires_idx ON auth_refresh_tokens (expires_at);
`;

export const REFRESH_TOKEN_DROP_SQL = `DROP TABLE IF EXISTS auth_refresh_tokens;`;
