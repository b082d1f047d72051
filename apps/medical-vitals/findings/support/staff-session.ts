import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { StaffService } from '../../src/staff/staff.service.js';
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

/**
 * A staff account made through the app's own StaffService, signed in over HTTP as a client would: the
 * tests, findings and benches call every route as a real member of a real ward or hospital.
 */
export async function signInStaff(
  target: { app: INestApplication; url: string },
  spec: StaffSpec,
): Promise<StaffSession> {
  const email = `${spec.role}-${randomUUID()}@staff.test`;
  const member = await target.app.get(StaffService).create({
    email,
    name: `Test ${spec.role}`,
    role: spec.role,
    hospitalId: spec.hospitalId,
    password: TEST_STAFF_PASSWORD,
    wardIds: spec.wardIds ?? [],
  });
  const response = await fetch(`${target.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_STAFF_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`staff login failed: HTTP ${response.status}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { id: member.id, accessToken, headers: { authorization: `Bearer ${accessToken}` } };
}
