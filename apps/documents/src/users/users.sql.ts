/** The users table's statements; `$n` placeholders, columns aliased to the `User` shape. */
export const USER_COLUMNS = `id, organisation_id AS "organisationId", email, display_name AS "displayName", role,
  created_at AS "createdAt"`;

export const INSERT_USER_SQL = `
INSERT INTO users (organisation_id, email, display_name, role, password_hash)
VALUES ($1, $2, $3, $4, $5)
RETURNING ${USER_COLUMNS}`;

export const USER_FOR_LOGIN_SQL = `
SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE email = $1`;

export const USER_BY_ID_SQL = `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`;

export const INSERT_ORGANISATION_SQL = `INSERT INTO organisations (name) VALUES ($1) RETURNING id`;
