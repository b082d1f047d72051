import { randomUUID } from 'node:crypto';
import { hashPassword } from '@remedy/auth';
import type pg from 'pg';
import type { StaffRole } from '../../src/staff/staff-role.js';

export interface StaffSession {
  id: string;
  accessToken: string;
  /** `{ authorization: 'Bearer …' }`, to spread into a request's headers. */
  headers: { authorization: string };
}

export interface StaffSpec {
  role: StaffRole;
  hospitalId: string;
  wardIds?: string[];
}

export const TEST_STAFF_PASSWORD = 'test staff password';
// One hash for every test account: hashing is deliberately slow, and tests make many accounts.
const passwordHash = hashPassword(TEST_STAFF_PASSWORD);

/**
 * A staff account written straight into the database (like seedRegistry's wards and patients), then
 * signed in over HTTP as a client would: tests, findings and benches call every route as a real member
 * of a real ward or hospital. `target.pool` is the app's database; the app may run in another process.
 */
export async function signInStaff(
  target: { url: string; pool: pg.Pool },
  spec: StaffSpec,
): Promise<StaffSession> {
  const { id, email } = await createStaff(target.pool, spec);
  const response = await fetch(`${target.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_STAFF_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`staff login failed: HTTP ${response.status}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { id, accessToken, headers: { authorization: `Bearer ${accessToken}` } };
}

/** A staff account with the test password, not signed in (for pages that sign in themselves). */
export async function createStaff(
  pool: pg.Pool,
  spec: StaffSpec,
): Promise<{ id: string; email: string; password: string }> {
  const email = `${spec.role}-${randomUUID()}@staff.test`;
  const { rows } = await pool.query<{ id: string }>(
    `WITH member AS (
       INSERT INTO staff (hospital_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id
     ), assigned AS (
       INSERT INTO staff_wards (staff_id, ward_id) SELECT member.id, unnest($6::uuid[]) FROM member
     )
     SELECT id FROM member`,
    [spec.hospitalId, email, `Test ${spec.role}`, spec.role, await passwordHash, spec.wardIds ?? []],
  );
  return { id: rows[0]!.id, email, password: TEST_STAFF_PASSWORD };
}

/** A nurse of exactly these wards (all in one hospital), signed in. */
export async function signInNurse(
  target: { url: string; pool: pg.Pool },
  wardIds: string[],
): Promise<StaffSession> {
  const { rows } = await target.pool.query<{ hospital_id: string }>(
    'SELECT DISTINCT hospital_id FROM wards WHERE id = ANY($1::uuid[])',
    [wardIds],
  );
  if (rows.length !== 1) throw new Error(`wards ${wardIds.join(', ')} are not of one hospital`);
  return signInStaff(target, { role: 'nurse', hospitalId: rows[0]!.hospital_id, wardIds });
}
