import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  createSchemaValidator,
  fuzzSettings,
  socketFrameArbitrary,
  useTestContext,
  type FuzzFrame,
} from '@remedy/testing';
import WebSocket from 'ws';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededDevice, type SeededRegistry } from '../findings/support/seed-registry.js';
import {
  INGEST_MESSAGE_SCHEMAS,
  INGEST_READING_ITEM_SCHEMA,
  LIVE_MESSAGE_SCHEMAS,
} from '../findings/support/socket-message-schemas.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

/**
 * Hostile frames on both sockets, generated from their message schemas, sent as the first message and after
 * a valid handshake. The server must answer each with its documented error frames and close codes, never
 * `internal`, never leave a socket hanging, never store a reading from an invalid frame, and stay up.
 */
const ctx = useTestContext(medicalVitalsHarness);

/** Cases per scenario (4 scenarios); FUZZ_RUNS_FACTOR scales it. */
const RUNS_PER_SCENARIO = 250;
/** How long a case may wait for the server's answer before it counts as a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

const INGEST_ERROR_CODES = new Set([
  'bad_json',
  'bad_message',
  'unauthorized',
  'auth_timeout',
  'device_unassigned',
  'invalid_reading',
  'too_many_readings',
]);
/** 4400 protocol, 4401 authentication, 1009 a frame over the socket's maxPayload (ws closes it). */
const INGEST_CLOSE_CODES = new Set([4400, 4401, 1009]);
const LIVE_ERROR_CODES = new Set([
  'auth-failed',
  'auth-timeout',
  'bad-json',
  'invalid-message',
  'forbidden',
  'too-many-subscriptions',
  'too-many-messages',
]);
const LIVE_CLOSE_CODES = new Set([1008, 1009]);

type Reply = Record<string, unknown>;

/** A raw socket that records every reply and how it closed. */
class Probe {
  readonly replies: Reply[] = [];
  closed: number | undefined;
  private wake: () => void = () => undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      try {
        this.replies.push(JSON.parse(data.toString('utf8')) as Reply);
      } catch {
        this.replies.push({ type: '(not JSON)', text: data.toString('utf8').slice(0, 80) });
      }
      this.wake();
    });
    socket.on('close', (code) => {
      this.closed = code;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(url: string): Promise<Probe> {
    const socket = new WebSocket(url);
    const probe = new Probe(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return probe;
  }

  send(data: string | Uint8Array | object): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (typeof data === 'string' || data instanceof Uint8Array) {
      this.socket.send(data, { binary: typeof data !== 'string' });
    } else this.socket.send(JSON.stringify(data));
  }

  /** Resolves true once `check()` holds, false after the answer timeout. */
  until(check: () => boolean): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
      this.wake = () => {
        if (!check()) return;
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
let freshened = 0;

/**
 * The generator's well-formed timestamps fall anywhere in 0000–9999, so nearly every reading would be refused
 * for its age alone and the storage check would rarely see one accepted. Readings whose hostile part is not
 * their timestamp get a recent one (unique per reading), so that what the frame gets wrong is what is judged.
 */
function withRecentTimestamps(frame: FuzzFrame): FuzzFrame {
  const message = frame.message as Record<string, unknown> | undefined;
  if (typeof message !== 'object' || message === null || frame.description.includes('(recordedAt)'))
    return frame;
  const fresh = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const reading = item as Record<string, unknown>;
    if (typeof reading['recordedAt'] !== 'string' || !ZONED.test(reading['recordedAt'])) return item;
    freshened += 1;
    return { ...reading, recordedAt: new Date(Date.now() - 20 * 60_000 - freshened * 10).toISOString() };
  };
  let changed: Record<string, unknown>;
  if (message['type'] === 'reading') changed = fresh(message) as Record<string, unknown>;
  else if (message['type'] === 'readings' && Array.isArray(message['items'])) {
    changed = { ...message, items: (message['items'] as unknown[]).map(fresh) };
  } else return frame;
  return { ...frame, message: changed, data: JSON.stringify(changed) };
}

function errorCodes(replies: readonly Reply[]): string[] {
  return replies.filter((reply) => reply['type'] === 'error').map((reply) => String(reply['code']));
}

describe('socket fuzz (message-schema-driven)', () => {
  let app: TestApp;
  let registry: SeededRegistry;
  let device: SeededDevice;
  let dashboardToken: string;
  const validate = createSchemaValidator();
  const failures: string[] = [];
  let cases = 0;
  let sentinel = 0;

  beforeAll(async () => {
    app = await startTestApp(ctx, {
      ALERT_EVALUATOR_ENABLED: 'false',
      // The device sends a few thousand frames in a minute: the rate limit is not what is under test.
      DEVICE_RATE_PER_SECOND: '100000',
      DEVICE_RATE_BURST: '100000',
    });
    registry = await seedRegistry(ctx.pool, { patients: 1, wards: 2 });
    device = registry.devices[0]!;
    dashboardToken = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function storedRows(): Promise<number> {
    const { rows } = await ctx.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM vital_data WHERE device_id = $1',
      [device.id],
    );
    return Number(rows[0]!.n);
  }

  /** How many readings of a frame the schema accepts: a frame's invalid readings must never be stored. */
  function validReadings(frame: FuzzFrame): { valid: number; invalid: number } {
    const message = frame.message as Record<string, unknown> | undefined;
    if (typeof message !== 'object' || message === null) return { valid: 0, invalid: 1 };
    const items: unknown[] =
      message['type'] === 'reading'
        ? [Object.fromEntries(Object.entries(message).filter(([key]) => key !== 'type'))]
        : message['type'] === 'readings' && Array.isArray(message['items'])
          ? (message['items'] as unknown[])
          : [];
    const valid = items.filter((item) => validate(INGEST_READING_ITEM_SCHEMA, item).length === 0).length;
    return { valid, invalid: items.length - valid };
  }

  function record(scenario: string, frame: FuzzFrame, problem: string, probe: Probe): void {
    failures.push(
      `${scenario} [${frame.description}] ${problem}; replies ${JSON.stringify(probe.replies).slice(0, 200)}, closed ${probe.closed}`,
    );
  }

  async function ingestFirst(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const before = await storedRows();
    const probe = await Probe.open(`${app.wsUrl}/ingest`);
    probe.send(frame.data);
    if (!(await probe.until(() => probe.closed !== undefined)))
      record('ingest first', frame, 'not closed', probe);
    else if (!INGEST_CLOSE_CODES.has(probe.closed!))
      record('ingest first', frame, 'undocumented close code', probe);
    const codes = errorCodes(probe.replies);
    if (codes.some((code) => !INGEST_ERROR_CODES.has(code)))
      record('ingest first', frame, 'undocumented error', probe);
    if (probe.closed !== 1009 && codes.length === 0)
      record('ingest first', frame, 'closed without an error frame', probe);
    probe.close();
    if ((await storedRows()) !== before) record('ingest first', frame, 'stored a reading before auth', probe);
    return true;
  }

  async function ingestAfterAuth(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const probe = await Probe.open(`${app.wsUrl}/ingest`);
    probe.send({ type: 'auth', deviceId: device.id, token: device.token });
    await probe.until(() => probe.replies.length > 0);
    const before = await storedRows();
    probe.send(frame.data);
    // A valid reading after the frame: its ack comes after every answer to the frame (messages are handled,
    // and acked, in order), so the answer is complete, and stored, once it arrives.
    sentinel += 1;
    const seq = 1_000_000_000 + sentinel;
    probe.send({
      type: 'reading',
      seq,
      recordedAt: new Date(Date.now() - 30 * 60_000 + sentinel * 100).toISOString(),
      heartRate: 70,
    });
    const answered = await probe.until(
      () =>
        probe.closed !== undefined ||
        probe.replies.some((reply) => reply['type'] === 'ack' && reply['upToSeq'] === seq),
    );
    const stored = (await storedRows()) - before;
    const sentinelAcked = probe.replies.some((reply) => reply['type'] === 'ack' && reply['upToSeq'] === seq);
    const { valid, invalid } = validReadings(frame);
    if (!answered) record('ingest after auth', frame, 'no answer', probe);
    if (probe.closed !== undefined && !INGEST_CLOSE_CODES.has(probe.closed)) {
      record('ingest after auth', frame, 'undocumented close code', probe);
    }
    const replies = probe.replies.slice(1);
    const codes = errorCodes(replies);
    if (codes.some((code) => !INGEST_ERROR_CODES.has(code)))
      record('ingest after auth', frame, 'undocumented error', probe);
    if (replies.some((reply) => !['ack', 'error'].includes(String(reply['type'])))) {
      record('ingest after auth', frame, 'unexpected reply type', probe);
    }
    if (stored - (sentinelAcked ? 1 : 0) > valid) {
      record('ingest after auth', frame, `stored ${stored} rows for ${valid} schema-valid readings`, probe);
    }
    if (invalid > 0 && codes.length === 0 && probe.closed === undefined) {
      record('ingest after auth', frame, 'an invalid frame got no error', probe);
    }
    probe.close();
    return true;
  }

  async function liveFirst(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const probe = await Probe.open(`${app.wsUrl}/live`);
    probe.send(frame.data);
    if (!(await probe.until(() => probe.closed !== undefined)))
      record('live first', frame, 'not closed', probe);
    else if (!LIVE_CLOSE_CODES.has(probe.closed!))
      record('live first', frame, 'undocumented close code', probe);
    const codes = errorCodes(probe.replies);
    if (codes.some((code) => !LIVE_ERROR_CODES.has(code)))
      record('live first', frame, 'undocumented error', probe);
    if (probe.closed !== 1009 && codes.length === 0)
      record('live first', frame, 'closed without an error frame', probe);
    probe.close();
    return true;
  }

  async function liveAfterAuth(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const probe = await Probe.open(`${app.wsUrl}/live`);
    probe.send({ type: 'auth', token: dashboardToken });
    await probe.until(() => probe.replies.length > 0);
    probe.send(frame.data);
    // A valid subscription after the frame: commands are handled in order, so its answer closes the case.
    const wardId = registry.wardIds[1]!;
    probe.send({ type: 'subscribe', wardId });
    const confirmed = () =>
      probe.replies.some((reply) => reply['type'] === 'subscribed' && String(reply['room']).includes(wardId));
    if (!(await probe.until(() => probe.closed !== undefined || confirmed()))) {
      record('live after auth', frame, 'no answer', probe);
    }
    if (probe.closed !== undefined && !LIVE_CLOSE_CODES.has(probe.closed)) {
      record('live after auth', frame, 'undocumented close code', probe);
    }
    const replies = probe.replies.slice(1);
    if (errorCodes(replies).some((code) => !LIVE_ERROR_CODES.has(code))) {
      record('live after auth', frame, 'undocumented error', probe);
    }
    if (replies.some((reply) => !['subscribed', 'unsubscribed', 'error'].includes(String(reply['type'])))) {
      record('live after auth', frame, 'unexpected reply type', probe);
    }
    probe.close();
    return true;
  }

  it('answers hostile frames on /ingest and /live with documented errors and close codes, stores none of them, and stays up', async () => {
    const settings = fuzzSettings(RUNS_PER_SCENARIO);
    const ingestFrames = socketFrameArbitrary(INGEST_MESSAGE_SCHEMAS).map(withRecentTimestamps);
    const liveFrames = socketFrameArbitrary(LIVE_MESSAGE_SCHEMAS);
    for (const [frames, run] of [
      [ingestFrames, ingestFirst],
      [ingestFrames, ingestAfterAuth],
      [liveFrames, liveFirst],
      [liveFrames, liveAfterAuth],
    ] as const) {
      await fc.assert(fc.asyncProperty(frames, run), { seed: settings.seed, numRuns: settings.numRuns });
    }

    expect({ seed: settings.seed, failures: failures.slice(0, 20) }).toEqual({
      seed: settings.seed,
      failures: [],
    });
    expect(cases).toBe(4 * settings.numRuns);
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    process.stdout.write(`vitals socket fuzz: ${cases} frames\n`);
  }, 600_000);
});
