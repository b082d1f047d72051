import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { useTestContext } from '@remedy/testing';
import WebSocket from 'ws';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

/**
 * Input no handler should ever see, one case per kind and per route class (JSON body, query string, path
 * parameter, headers, the public HTML route, the two sockets): each is a 4xx in the documented error shape
 * (`{ statusCode, error, message, details }`, JSON) naming the field where there is one, never a 500, and
 * nothing is stored.
 */
const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let registry: SeededRegistry;
let admin: StaffSession;
let nurse: StaffSession;
let ruleId: string;

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  registry = await seedRegistry(ctx.pool, { patients: 2 });
  const target = { url: app.url, pool: ctx.pool };
  admin = await signInStaff(target, { role: 'hospital_admin', hospitalId: registry.hospitalId });
  nurse = await signInStaff(target, {
    role: 'nurse',
    hospitalId: registry.hospitalId,
    wardIds: registry.wardIds,
  });
  const rule = await send(admin, 'POST', '/alert-rules', {
    wardId: registry.wardIds[0],
    metric: 'heart_rate',
    max: 120,
  });
  expect(rule.status).toBe(201);
  ruleId = rule.body['id'] as string;
});
afterAll(async () => {
  await app?.close();
});

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
  text: string;
}

async function send(
  as: StaffSession | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(as?.headers ?? {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answerOf(response.status, response.headers.get('content-type') ?? '', await response.text());
}

function answerOf(status: number, contentType: string, text: string): Answer {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the shape check below reports a body that is not JSON.
  }
  return { status, contentType, body, text };
}

/** The documented error answer: this status, JSON, the four fields, and `field` among the details if given. */
function expectError(answer: Answer, status: number, field?: string): void {
  expect({ status: answer.status, body: answer.text.slice(0, 300) }).toMatchObject({ status });
  expect(answer.contentType).toContain('application/json');
  const { statusCode, error, message, details } = answer.body;
  expect({
    keys: Object.keys(answer.body).sort(),
    statusCode,
    error: typeof error,
    message: typeof message,
    details: Array.isArray(details),
  }).toEqual({
    keys: ['details', 'error', 'message', 'statusCode'],
    statusCode: status,
    error: 'string',
    message: 'string',
    details: true,
  });
  if (field !== undefined) {
    expect((details as { field: string }[]).map((detail) => detail.field)).toContain(field);
  }
}

async function count(table: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

describe('text no service can handle is refused at the edge', () => {
  test('a NUL byte in mrn (JSON body) is a 400 naming the field, and no patient is stored', async () => {
    const before = await count('patients');
    const answer = await send(admin, 'POST', '/patients', {
      hospitalId: registry.hospitalId,
      wardId: registry.wardIds[0],
      name: 'Nul Mrn',
      mrn: `MRN\u0000${randomUUID()}`,
    });
    expectError(answer, 400, 'mrn');
    expect(await count('patients')).toBe(before);
  });

  test('a NUL byte in serial (JSON body) is a 400 naming the field, and no device is stored', async () => {
    const before = await count('devices');
    const answer = await send(admin, 'POST', '/devices', { serial: `SN\u0000${randomUUID()}` });
    expectError(answer, 400, 'serial');
    expect(await count('devices')).toBe(before);
  });

  test('a lone surrogate in a text field (JSON body) is a 400 naming the field', async () => {
    const answer = await send(
      admin,
      'POST',
      '/patients',
      `{"hospitalId":"${registry.hospitalId}","name":"\\ud800","mrn":"${randomUUID()}"}`,
    );
    expectError(answer, 400, 'name');
  });

  test('a NUL byte in the query string is a 400 naming the parameter', async () => {
    const answer = await send(nurse, 'GET', `/patients?wardId=%00`);
    expectError(answer, 400, 'wardId');
  });

  test('JSON nested deeper than any DTO is a 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const answer = await send(admin, 'POST', '/devices', `{"serial":"deep","patientId":${deep}}`);
    expectError(answer, 400);
  });

  test('a body over the limit is a 413 in the documented shape', async () => {
    const answer = await send(admin, 'POST', '/devices', { serial: 'x'.repeat(2 * 1024 * 1024) });
    expectError(answer, 413);
  });

  test('a path parameter longer than the server accepts is a 414 in the documented shape', async () => {
    const answer = await send(nurse, 'GET', `/patients/${'a'.repeat(600)}`);
    expectError(answer, 414);
  });

  test('headers larger than the server accepts are a 431 in the documented shape', async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const request = httpRequest(`${app.url}/health/live`, {
        headers: { 'x-filler': 'x'.repeat(64 * 1024) },
      });
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () =>
          resolve(answerOf(response.statusCode ?? 0, response.headers['content-type'] ?? '', text)),
        );
      });
      request.on('error', reject);
      request.end();
    });
    expectError(answer, 431);
  });
});

describe('null where a value is required', () => {
  test('PATCH /patients/:id {"status":null} is a 400 naming status, and the patient is unchanged', async () => {
    const patientId = registry.patientIds[0]!;
    const answer = await send(admin, 'PATCH', `/patients/${patientId}`, { status: null });
    expectError(answer, 400, 'status');
    const { rows } = await ctx.pool.query<{ status: string }>('SELECT status FROM patients WHERE id = $1', [
      patientId,
    ]);
    expect(rows[0]?.status).toBe('active');
  });

  test('PATCH /devices/:id {"status":null} is a 400 naming status', async () => {
    const answer = await send(admin, 'PATCH', `/devices/${registry.devices[0]!.id}`, { status: null });
    expectError(answer, 400, 'status');
  });

  test('PATCH /devices/:id {"patientId":null}, the documented null, unassigns the device', async () => {
    const device = registry.devices[0]!;
    const answer = await send(admin, 'PATCH', `/devices/${device.id}`, { patientId: null });
    expect({ status: answer.status, patientId: answer.body['patientId'] }).toEqual({
      status: 200,
      patientId: null,
    });
    await send(admin, 'PATCH', `/devices/${device.id}`, { patientId: device.patientId });
  });

  test('PATCH /alert-rules/:id {"enabled":null} is a 400 naming enabled, and the rule still fires', async () => {
    const answer = await send(admin, 'PATCH', `/alert-rules/${ruleId}`, { enabled: null });
    expectError(answer, 400, 'enabled');
    const { rows } = await ctx.pool.query<{ enabled: boolean }>(
      'SELECT enabled FROM alert_rules WHERE id = $1',
      [ruleId],
    );
    expect(rows[0]?.enabled).toBe(true);
  });
});

describe('identifiers', () => {
  test('GET /ward/not-a-uuid (the public HTML route) is a JSON 400, not a 500 or an HTML error', async () => {
    const answer = await send(null, 'GET', '/ward/not-a-uuid');
    expectError(answer, 400, 'wardId');
  });

  test('an uppercase patient UUID reads the same latest reading as the lowercase one', async () => {
    const device = registry.devices[1]!;
    const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
    client.sendReadings(readings(2));
    await client.untilAcked(1);
    client.close();
    const lower = await send(nurse, 'GET', `/patients/${device.patientId}/latest`);
    const upper = await send(nurse, 'GET', `/patients/${device.patientId.toUpperCase()}/latest`);
    expect(lower.status).toBe(200);
    expect((lower.body['latest'] as { seq: number } | null)?.seq).toBe(1);
    expect({ status: upper.status, body: upper.body }).toEqual({ status: 200, body: lower.body });
  });
});

describe('alert thresholds must be able to fire', () => {
  test('POST max 1e308 on heart rate is a 400 naming max, and no rule is stored', async () => {
    const before = await count('alert_rules');
    const answer = await send(admin, 'POST', '/alert-rules', {
      wardId: registry.wardIds[0],
      metric: 'heart_rate',
      max: 1e308,
    });
    expectError(answer, 400, 'max');
    expect(await count('alert_rules')).toBe(before);
  });

  test('POST heart rate min -5 is a 400 naming min', async () => {
    const answer = await send(admin, 'POST', '/alert-rules', {
      wardId: registry.wardIds[0],
      metric: 'heart_rate',
      min: -5,
    });
    expectError(answer, 400, 'min');
  });

  test('POST temperature max 60 °C (above any accepted reading) is a 400 naming max', async () => {
    const answer = await send(admin, 'POST', '/alert-rules', {
      wardId: registry.wardIds[0],
      metric: 'temperature',
      max: 60,
    });
    expectError(answer, 400, 'max');
  });

  test('PATCH max 1e308 is a 400 naming max, and the stored threshold is unchanged', async () => {
    const answer = await send(admin, 'PATCH', `/alert-rules/${ruleId}`, { max: 1e308 });
    expectError(answer, 400, 'max');
    const { rows } = await ctx.pool.query<{ max: string }>('SELECT max FROM alert_rules WHERE id = $1', [
      ruleId,
    ]);
    expect(Number(rows[0]?.max)).toBe(120);
  });
});

/** Opens a socket and returns its close code and first frame (if any). */
async function refusal(url: string): Promise<{ code: number; first: Record<string, unknown> | undefined }> {
  const socket = new WebSocket(url);
  let first: Record<string, unknown> | undefined;
  socket.on('message', (data: Buffer) => {
    first ??= JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', (code) => resolve({ code, first }));
  });
}

describe('credentials in a socket URL', () => {
  test('/ingest?access_token= is refused with an error frame and closed, before any auth', async () => {
    const device = registry.devices[0]!;
    const { code, first } = await refusal(`${app.wsUrl}/ingest?access_token=${device.token}`);
    expect(first).toMatchObject({ type: 'error', code: 'token_in_url' });
    expect(code).toBe(4401);
  });

  test('/ingest with any other query string (?apikey=) is refused too', async () => {
    const { code, first } = await refusal(`${app.wsUrl}/ingest?apikey=secret`);
    expect(first).toMatchObject({ type: 'error', code: 'query_string' });
    expect(code).toBe(4400);
  });

  test('/live with an unlisted credential name (?apikey=) is refused with 1008', async () => {
    const { code, first } = await refusal(`${app.wsUrl}/live?apikey=secret`);
    expect(first).toMatchObject({ type: 'error', code: 'query-string' });
    expect(code).toBe(1008);
  });
});
