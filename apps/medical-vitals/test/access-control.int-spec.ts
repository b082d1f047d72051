import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { useTestContext } from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;

/** Public on purpose (see the comments at each): sign-in, probes, the metrics scrape and the static ward page. */
const PUBLIC_ROUTES = [
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/logout',
  'GET /health',
  'GET /health/live',
  'GET /metrics',
  'GET /ward/:wardId',
  'GET /ward-page.js',
];

interface Fixture {
  hospitalId: string;
  ward1: string;
  ward2: string;
  patient1: string;
  patient2: string;
  device1: string;
  rule1: string;
  rule2: string;
}
let f: Fixture;
let nurse1: StaffSession;
let wardAdmin1: StaffSession;
let technician: StaffSession;
let admin: StaffSession;
let otherAdmin: StaffSession;

interface Call {
  as: () => StaffSession;
  method: string;
  path: () => string;
  body?: () => unknown;
}

/**
 * Per route: a caller with a role the route does not allow, and a caller with the right role reaching into
 * another ward's (or hospital's) data. `wrongRole: null` marks routes every signed-in member may call; those
 * scope their answer instead (checked in the tests below). Every route of the app must have an entry.
 */
const CASES: Record<string, { wrongRole: Call | null; otherScope: Call | null }> = {
  'GET /auth/me': { wrongRole: null, otherScope: null },
  'POST /staff': {
    wrongRole: { as: () => wardAdmin1, method: 'POST', path: () => '/staff', body: () => newStaff([]) },
    otherScope: {
      as: () => otherAdmin,
      method: 'POST',
      path: () => '/staff',
      body: () => newStaff([f.ward1]),
    },
  },
  'GET /audit-log': {
    wrongRole: { as: () => wardAdmin1, method: 'GET', path: () => '/audit-log' },
    otherScope: null,
  },
  'POST /wards': {
    wrongRole: {
      as: () => wardAdmin1,
      method: 'POST',
      path: () => '/wards',
      body: () => newWard(f.hospitalId),
    },
    otherScope: {
      as: () => otherAdmin,
      method: 'POST',
      path: () => '/wards',
      body: () => newWard(f.hospitalId),
    },
  },
  'GET /wards': {
    wrongRole: null,
    otherScope: { as: () => otherAdmin, method: 'GET', path: () => `/wards?hospitalId=${f.hospitalId}` },
  },
  'GET /wards/:id': {
    wrongRole: null,
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/wards/${f.ward2}` },
  },
  'POST /patients': {
    wrongRole: { as: () => nurse1, method: 'POST', path: () => '/patients', body: () => newPatient(f.ward1) },
    otherScope: {
      as: () => wardAdmin1,
      method: 'POST',
      path: () => '/patients',
      body: () => newPatient(f.ward2),
    },
  },
  'GET /patients': {
    wrongRole: { as: () => technician, method: 'GET', path: () => '/patients' },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/patients?wardId=${f.ward2}` },
  },
  'GET /patients/:id': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/patients/${f.patient1}` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/patients/${f.patient2}` },
  },
  'PATCH /patients/:id': {
    wrongRole: {
      as: () => nurse1,
      method: 'PATCH',
      path: () => `/patients/${f.patient1}`,
      body: () => ({ status: 'active' }),
    },
    otherScope: {
      as: () => wardAdmin1,
      method: 'PATCH',
      path: () => `/patients/${f.patient2}`,
      body: () => ({ status: 'discharged' }),
    },
  },
  'POST /devices': {
    wrongRole: {
      as: () => nurse1,
      method: 'POST',
      path: () => '/devices',
      body: () => newDevice(f.patient1),
    },
    otherScope: {
      as: () => otherAdmin,
      method: 'POST',
      path: () => '/devices',
      body: () => newDevice(f.patient1),
    },
  },
  'GET /devices/:id': {
    wrongRole: { as: () => nurse1, method: 'GET', path: () => `/devices/${f.device1}` },
    otherScope: { as: () => otherAdmin, method: 'GET', path: () => `/devices/${f.device1}` },
  },
  'PATCH /devices/:id': {
    wrongRole: {
      as: () => wardAdmin1,
      method: 'PATCH',
      path: () => `/devices/${f.device1}`,
      body: () => ({ patientId: f.patient2 }),
    },
    otherScope: {
      as: () => otherAdmin,
      method: 'PATCH',
      path: () => `/devices/${f.device1}`,
      body: () => ({ status: 'retired' }),
    },
  },
  'POST /alert-rules': {
    wrongRole: { as: () => nurse1, method: 'POST', path: () => '/alert-rules', body: () => newRule(f.ward1) },
    otherScope: {
      as: () => wardAdmin1,
      method: 'POST',
      path: () => '/alert-rules',
      body: () => newRule(f.ward2),
    },
  },
  'GET /alert-rules': {
    wrongRole: { as: () => technician, method: 'GET', path: () => '/alert-rules' },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/alert-rules?wardId=${f.ward2}` },
  },
  'GET /alert-rules/:id': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/alert-rules/${f.rule1}` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/alert-rules/${f.rule2}` },
  },
  'PATCH /alert-rules/:id': {
    wrongRole: {
      as: () => nurse1,
      method: 'PATCH',
      path: () => `/alert-rules/${f.rule1}`,
      body: () => ({ enabled: false }),
    },
    otherScope: {
      as: () => wardAdmin1,
      method: 'PATCH',
      path: () => `/alert-rules/${f.rule2}`,
      body: () => ({ enabled: false }),
    },
  },
  'DELETE /alert-rules/:id': {
    wrongRole: { as: () => nurse1, method: 'DELETE', path: () => `/alert-rules/${f.rule1}` },
    otherScope: { as: () => wardAdmin1, method: 'DELETE', path: () => `/alert-rules/${f.rule2}` },
  },
  'GET /wards/:id/patients': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/wards/${f.ward1}/patients` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/wards/${f.ward2}/patients` },
  },
  'GET /wards/:id/open-alerts': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/wards/${f.ward1}/open-alerts` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/wards/${f.ward2}/open-alerts` },
  },
  'GET /dashboard/active-patients': {
    wrongRole: {
      as: () => technician,
      method: 'GET',
      path: () => `/dashboard/active-patients?wardId=${f.ward1}`,
    },
    otherScope: {
      as: () => nurse1,
      method: 'GET',
      path: () => `/dashboard/active-patients?wardId=${f.ward2}`,
    },
  },
  'GET /patients/:id/latest': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/patients/${f.patient1}/latest` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/patients/${f.patient2}/latest` },
  },
  'GET /patients/:id/vitals': {
    wrongRole: { as: () => technician, method: 'GET', path: () => `/patients/${f.patient1}/vitals` },
    otherScope: { as: () => nurse1, method: 'GET', path: () => `/patients/${f.patient2}/vitals` },
  },
  'GET /patients/:id/report': {
    wrongRole: {
      as: () => technician,
      method: 'GET',
      path: () => `/patients/${f.patient1}/report?period=daily`,
    },
    otherScope: {
      as: () => nurse1,
      method: 'GET',
      path: () => `/patients/${f.patient2}/report?period=daily`,
    },
  },
  'POST /dashboard/tokens': {
    wrongRole: {
      as: () => technician,
      method: 'POST',
      path: () => '/dashboard/tokens',
      body: () => ({ name: 'x', wardIds: [f.ward1] }),
    },
    otherScope: {
      as: () => nurse1,
      method: 'POST',
      path: () => '/dashboard/tokens',
      body: () => ({ name: 'x', wardIds: [f.ward2] }),
    },
  },
};

const newStaff = (wardIds: string[]) => ({
  email: `${randomUUID()}@staff.test`,
  name: 'N. Ew',
  role: 'nurse',
  password: 'a long enough password',
  wardIds,
});
const newWard = (hospitalId: string) => ({ hospitalId, name: 'Ward X' });
const newPatient = (wardId: string) => ({
  hospitalId: f.hospitalId,
  wardId,
  name: 'P. X',
  mrn: `MRN-${randomUUID()}`,
});
const newDevice = (patientId: string) => ({ serial: `SN-${randomUUID()}`, patientId });
const newRule = (wardId: string) => ({ wardId, metric: 'heart_rate', max: 150 });

/** Every HTTP route Nest registered: controller path + handler path, from the same metadata the router reads. */
function registeredRoutes(target: TestApp): string[] {
  const routes: string[] = [];
  for (const module of target.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (!Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))]
          .map((part) => part.replace(/^\/+|\/+$/g, ''))
          .filter((part) => part.length > 0)
          .join('/')}`;
        routes.push(`${method} ${path}`);
      }
    }
  }
  return routes.sort();
}

function concrete(route: string): { method: string; path: string } {
  const [method, template] = route.split(' ') as [string, string];
  return { method, path: template.replace(/:[A-Za-z]+/g, randomUUID()) };
}

async function send(session: StaffSession | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(session ? session.headers : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  const hospitalId = randomUUID();
  const otherHospitalId = randomUUID();
  admin = await signInStaff({ url: app.url, pool: ctx.pool }, { role: 'hospital_admin', hospitalId });
  otherAdmin = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'hospital_admin', hospitalId: otherHospitalId },
  );
  const ward1 = (await send(admin, 'POST', '/wards', newWard(hospitalId))).body['id'] as string;
  const ward2 = (await send(admin, 'POST', '/wards', newWard(hospitalId))).body['id'] as string;
  f = { hospitalId, ward1, ward2 } as Fixture;
  f.patient1 = (await send(admin, 'POST', '/patients', newPatient(ward1))).body['id'] as string;
  f.patient2 = (await send(admin, 'POST', '/patients', newPatient(ward2))).body['id'] as string;
  f.device1 = (await send(admin, 'POST', '/devices', newDevice(f.patient1))).body['id'] as string;
  f.rule1 = (await send(admin, 'POST', '/alert-rules', newRule(ward1))).body['id'] as string;
  f.rule2 = (await send(admin, 'POST', '/alert-rules', newRule(ward2))).body['id'] as string;
  nurse1 = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'nurse', hospitalId, wardIds: [ward1] },
  );
  wardAdmin1 = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId, wardIds: [ward1] },
  );
  technician = await signInStaff({ url: app.url, pool: ctx.pool }, { role: 'device_technician', hospitalId });
});
afterAll(async () => {
  await app?.close();
});

test('every route of the app is either public on purpose or in the role-and-scope table', () => {
  const routes = registeredRoutes(app);
  expect(routes.length).toBeGreaterThan(20);
  const unlisted = routes.filter((route) => !PUBLIC_ROUTES.includes(route) && !(route in CASES));
  expect(unlisted).toEqual([]);
  expect(routes.filter((route) => PUBLIC_ROUTES.includes(route)).sort()).toEqual([...PUBLIC_ROUTES].sort());
});

test('every non-public route answers 401 to an anonymous caller and to a forged token', async () => {
  const forged: StaffSession = {
    id: 'x',
    accessToken: 'x',
    headers: { authorization: `Bearer ${admin.accessToken}x` },
  };
  for (const route of registeredRoutes(app).filter((r) => !PUBLIC_ROUTES.includes(r))) {
    const { method, path } = concrete(route);
    const anonymous = await send(
      null,
      method,
      path,
      method === 'GET' || method === 'DELETE' ? undefined : {},
    );
    expect({ route, status: anonymous.status }).toEqual({ route, status: 401 });
    const withForged = await send(
      forged,
      method,
      path,
      method === 'GET' || method === 'DELETE' ? undefined : {},
    );
    expect({ route, status: withForged.status }).toEqual({ route, status: 401 });
  }
});

test.each(Object.entries(CASES).filter(([, c]) => c.wrongRole !== null))(
  '%s answers 403 to a role that does not own it',
  async (route, { wrongRole }) => {
    const call = wrongRole!;
    const response = await send(call.as(), call.method, call.path(), call.body?.());
    expect({ route, status: response.status, message: response.body['message'] }).toEqual({
      route,
      status: 403,
      message: expect.stringMatching(/^requires role /) as unknown,
    });
  },
);

test.each(Object.entries(CASES).filter(([, c]) => c.otherScope !== null))(
  "%s answers 403 for another ward's or hospital's data",
  async (route, { otherScope }) => {
    const call = otherScope!;
    const response = await send(call.as(), call.method, call.path(), call.body?.());
    expect({ route, status: response.status, message: response.body['message'] }).toEqual({
      route,
      status: 403,
      message: expect.stringMatching(/outside your wards|is not yours/) as unknown,
    });
  },
);

test('lists answer only within scope: wards, patients and alert rules of the caller', async () => {
  const wards = (await send(nurse1, 'GET', '/wards')).body as unknown as { id: string }[];
  expect(wards.map((ward) => ward.id)).toEqual([f.ward1]);
  expect((await send(otherAdmin, 'GET', '/wards')).body).toEqual([]);
  const patients = (await send(nurse1, 'GET', '/patients')).body as unknown as { id: string }[];
  expect(patients.map((patient) => patient.id)).toEqual([f.patient1]);
  const rules = (await send(nurse1, 'GET', '/alert-rules')).body as unknown as { id: string }[];
  expect(rules.map((rule) => rule.id)).toEqual([f.rule1]);
  const me = await send(nurse1, 'GET', '/auth/me');
  expect(me.body).toMatchObject({ role: 'nurse', hospitalId: f.hospitalId, wardIds: [f.ward1] });
});

test('a dashboard token is issued only for wards that exist in the caller’s scope, by default all of them', async () => {
  const missing = await send(admin, 'POST', '/dashboard/tokens', { name: 'x', wardIds: [randomUUID()] });
  expect(missing.status).toBe(403);
  const issued = await send(nurse1, 'POST', '/dashboard/tokens', { name: 'station' });
  expect(issued.status).toBe(200);
  const payload = JSON.parse(
    Buffer.from((issued.body['token'] as string).split('.')[1]!, 'base64url').toString(),
  ) as { wards: string[] };
  expect(payload.wards).toEqual([f.ward1]);
});

test('a deactivated account is refused on its next request, its unexpired token notwithstanding', async () => {
  const nurse = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'nurse', hospitalId: f.hospitalId, wardIds: [f.ward1] },
  );
  expect((await send(nurse, 'GET', `/patients/${f.patient1}`)).status).toBe(200);
  await ctx.pool.query('UPDATE staff SET active = false WHERE id = $1', [nurse.id]);
  expect((await send(nurse, 'GET', `/patients/${f.patient1}`)).status).toBe(401);
});
