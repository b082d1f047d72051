import { randomUUID } from 'node:crypto';
import { useTestContext } from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { createStaff } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
});
afterAll(async () => {
  await app?.close();
});

function login(email: string, password: string): Promise<Response> {
  return fetch(`${app.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

test('200 wrong passwords lock the staff account: the right password is then a 429 with Retry-After', async () => {
  const staff = await createStaff(ctx.pool, { role: 'nurse', hospitalId: randomUUID() });
  const statuses: Record<number, number> = {};
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await login(staff.email, `wrong password ${attempt}`);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    await response.arrayBuffer();
  }
  // The 5th failure locks the account (libs/auth's default): every later guess is refused unchecked.
  expect(statuses).toEqual({ 401: 5, 429: 195 });

  const right = await login(staff.email, staff.password);
  expect(right.status).toBe(429);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await right.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', details: [] });
});

test('a successful sign-in is unaffected by another account being locked', async () => {
  const hospitalId = randomUUID();
  const locked = await createStaff(ctx.pool, { role: 'nurse', hospitalId });
  const other = await createStaff(ctx.pool, { role: 'nurse', hospitalId });
  for (let attempt = 0; attempt < 5; attempt += 1) await (await login(locked.email, 'wrong')).arrayBuffer();
  expect((await login(locked.email, locked.password)).status).toBe(429);
  expect((await login(other.email, other.password)).status).toBe(200);
});
