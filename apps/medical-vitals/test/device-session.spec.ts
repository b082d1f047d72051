import { jest } from '@jest/globals';
import { waitUntil } from '@remedy/testing';
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import { buildConfig } from '../src/config.js';
import { vitalDataPolicy } from '../src/lifecycle/vital-data.policy.js';
import { DeviceSession, type DeviceSessionDeps } from '../src/ingest/device-session.js';
import type { DeviceRateLimiter } from '../src/ingest/device-rate-limiter.service.js';
import { jitteredRetryAfter } from '../src/ingest/retry-after.js';
import type { DeviceDirectory, DeviceIdentity } from '../src/registry/devices/device-directory.service.js';
import { hashDeviceToken } from '../src/registry/devices/device-token.js';
import type { VitalsWriter, WriteOutcome } from '../src/storage/vitals-writer.service.js';
import { WriteBufferFullError } from '../src/storage/write-buffer-full.error.js';
import { IngestMetrics } from '../src/telemetry/ingest-metrics.service.js';

const DEVICE_ID = '00000000-0000-4000-8000-000000000001';
const TOKEN = 'device-token';
const PATIENT_ID = '00000000-0000-4000-8000-000000000002';
const OTHER_PATIENT_ID = '00000000-0000-4000-8000-000000000003';
const STORED: WriteOutcome = { conflicting: new Set() };

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  closeCode: number | undefined;
  readonly sent: Array<Record<string, unknown>> = [];
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close(code?: number): void {
    this.readyState = 3;
    this.closeCode = code;
  }
  receive(message: object): void {
    this.emit('message', Buffer.from(JSON.stringify(message)));
  }
}

function reading(seq: number): object {
  return { type: 'reading', seq, recordedAt: new Date().toISOString(), heartRate: 70 };
}

/** The device's registry entry, as a test sets it: the session's lookups read it when they run. */
function registryEntry(patientId: string | null = PATIENT_ID): DeviceIdentity {
  return {
    deviceId: DEVICE_ID,
    patientId,
    wardId: null,
    tokenHash: hashDeviceToken(TOKEN),
    status: 'active',
  };
}

function startSession(
  writer: Pick<VitalsWriter, 'write'> & Partial<Pick<VitalsWriter, 'admission'>>,
  limiter: Pick<DeviceRateLimiter, 'take'>,
  registry: { entry: DeviceIdentity } = { entry: registryEntry() },
): { socket: FakeSocket; session: DeviceSession; warnings: string[] } {
  const socket = new FakeSocket();
  const warnings: string[] = [];
  const directory: Pick<DeviceDirectory, 'lookup'> = { lookup: () => Promise.resolve(registry.entry) };
  const config = buildConfig({ DATABASE_URL: 'postgres://db/vitals' });
  const deps: DeviceSessionDeps = {
    logger: { warn: (message) => warnings.push(message) },
    directory: directory as DeviceDirectory,
    limiter: limiter as DeviceRateLimiter,
    writer: { admission: () => undefined, ...writer } as VitalsWriter,
    metrics: new IngestMetrics(new Registry()),
    config,
    vitalData: vitalDataPolicy(config.lifecycle),
    isDraining: () => false,
  };
  const session = new DeviceSession(socket as unknown as WebSocket, deps);
  socket.receive({ type: 'auth', deviceId: DEVICE_ID, token: TOKEN });
  return { socket, session, warnings };
}

function onUnhandledRejections(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  return { seen, stop: () => process.off('unhandledRejection', listener) };
}

test('a batch failing while an earlier ack is pending is an error reply, not an unhandled rejection', async () => {
  const rejections = onUnhandledRejections();
  try {
    let storeFirst: () => void = () => undefined;
    const first = new Promise<WriteOutcome>((resolve) => (storeFirst = () => resolve(STORED)));
    const write = jest
      .fn<VitalsWriter['write']>()
      .mockReturnValueOnce(first)
      .mockImplementationOnce(() => Promise.reject(new Error('Command timed out')));
    const { socket, session, warnings } = startSession({ write }, { take: () => Promise.resolve(0) });
    socket.receive(reading(1));
    socket.receive(reading(2));
    await waitUntil('both messages handed to the writer', () => write.mock.calls.length === 2);
    // Let the second batch's rejection reach the end of the microtask queue with the first ack still pending.
    await new Promise((resolve) => setImmediate(resolve));
    storeFirst();
    await session.settled();
    expect(rejections.seen).toEqual([]);
    expect(socket.sent.slice(1)).toEqual([
      { type: 'ack', upToSeq: 1, count: 1 },
      { type: 'error', code: 'store_failed', message: 'not stored, send again', seq: 2 },
    ]);
    expect(warnings.join('\n')).toContain('Command timed out');
  } finally {
    rejections.stop();
  }
});

test('a message whose handling throws gets an internal error reply and the session goes on', async () => {
  const rejections = onUnhandledRejections();
  try {
    const write = jest.fn<VitalsWriter['write']>().mockReturnValue(Promise.resolve(STORED));
    const take = jest
      .fn<DeviceRateLimiter['take']>()
      .mockRejectedValueOnce(new Error('Command timed out'))
      .mockResolvedValue(0);
    const { socket, session } = startSession({ write }, { take });
    socket.receive(reading(1));
    socket.receive(reading(2));
    await waitUntil('the second message to be handled', () => write.mock.calls.length === 1);
    await session.settled();
    expect(rejections.seen).toEqual([]);
    expect(socket.sent.slice(1)).toEqual([
      { type: 'error', code: 'internal', message: 'the message could not be handled, send it again' },
      { type: 'ack', upToSeq: 2, count: 1 },
    ]);
  } finally {
    rejections.stop();
  }
});

test('a throttled device is refused from its session until its retry time: one limiter call, not one per message', async () => {
  const MESSAGES = 20;
  const WAIT_MS = 300;
  const write = jest.fn<VitalsWriter['write']>().mockReturnValue(Promise.resolve(STORED));
  // Like the Redis bucket: empty for WAIT_MS from the first call, so every call until then answers a wait.
  let refillsAt: number | undefined;
  const take = jest.fn<DeviceRateLimiter['take']>().mockImplementation(() => {
    refillsAt ??= Date.now() + WAIT_MS;
    return Promise.resolve(Math.max(0, refillsAt - Date.now()));
  });
  const { socket, session } = startSession({ write }, { take });
  for (let seq = 1; seq <= MESSAGES; seq += 1) socket.receive(reading(seq));
  await session.settled();
  const throttled = socket.sent.filter((reply) => reply['type'] === 'throttled');
  expect(throttled).toHaveLength(MESSAGES);
  expect(take).toHaveBeenCalledTimes(1);
  expect(write).not.toHaveBeenCalled();
  // Jittered, never shorter than the wait that remains (≤ WAIT_MS), never longer than 1.5 × the limiter's wait.
  const retries = throttled.map((reply) => reply['retryAfterMs'] as number);
  expect(Math.max(...retries)).toBeLessThanOrEqual(WAIT_MS * 1.5);
  expect(Math.min(...retries)).toBeGreaterThan(0);
  expect(throttled[0]!['retryAfterMs']).toBeGreaterThanOrEqual(WAIT_MS);

  // Past the retry time the limiter decides again.
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS + 50));
  socket.receive(reading(MESSAGES + 1));
  await session.settled();
  expect(take).toHaveBeenCalledTimes(2);
  expect(socket.sent.at(-1)).toEqual({ type: 'ack', upToSeq: MESSAGES + 1, count: 1 });
});

test('a full write buffer refuses the device until its retry time without asking the limiter again', async () => {
  const write = jest.fn<VitalsWriter['write']>().mockImplementation(() => {
    throw new WriteBufferFullError(5, 5);
  });
  const take = jest.fn<DeviceRateLimiter['take']>().mockResolvedValue(0);
  const { socket, session } = startSession({ write }, { take });
  for (let seq = 1; seq <= 10; seq += 1) socket.receive(reading(seq));
  await session.settled();
  expect(socket.sent.filter((reply) => reply['reason'] === 'buffer_full')).toHaveLength(10);
  expect(take).toHaveBeenCalledTimes(1);
  expect(write).toHaveBeenCalledTimes(1);
});

/** A limiter whose first answer waits for `release()`: the message holding it keeps later ones queued. */
function heldLimiter(): { take: DeviceRateLimiter['take']; release(): void } {
  let release: () => void = () => undefined;
  const held = new Promise<number>((resolve) => (release = () => resolve(0)));
  const take = jest.fn<DeviceRateLimiter['take']>().mockReturnValueOnce(held).mockResolvedValue(0);
  return { take, release: () => release() };
}

test('a registry change applies in message order: a reading received before it keeps the old patient', async () => {
  const registry = { entry: registryEntry() };
  const write = jest.fn<VitalsWriter['write']>().mockResolvedValue(STORED);
  const limiter = heldLimiter();
  const { socket, session } = startSession({ write }, limiter, registry);
  await waitUntil('auth_ok', () => socket.sent.length === 1);
  // Reading 0 holds the queue, so reading 1 is received but not yet handled when the change arrives.
  socket.receive(reading(0));
  socket.receive(reading(1));
  registry.entry = registryEntry(OTHER_PATIENT_ID);
  session.reassign();
  socket.receive(reading(2));
  limiter.release();
  await session.settled();
  expect(write.mock.calls.map(([rows]) => rows.map((row) => [row.seq, row.patientId]))).toEqual([
    [[0, PATIENT_ID]],
    [[1, PATIENT_ID]],
    [[2, OTHER_PATIENT_ID]],
  ]);
  expect(socket.sent).toContainEqual({
    type: 'assignment',
    deviceId: DEVICE_ID,
    patientId: OTHER_PATIENT_ID,
  });
});

test('unassigned: what was received before is acked, what comes after is dropped, then close 4401', async () => {
  const registry = { entry: registryEntry() };
  const write = jest.fn<VitalsWriter['write']>().mockResolvedValue(STORED);
  const limiter = heldLimiter();
  const { socket, session } = startSession({ write }, limiter, registry);
  await waitUntil('auth_ok', () => socket.sent.length === 1);
  socket.receive(reading(1));
  registry.entry = registryEntry(null);
  session.reassign();
  socket.receive(reading(2));
  limiter.release();
  await session.settled();
  expect(write).toHaveBeenCalledTimes(1);
  expect(socket.sent.slice(1)).toEqual([
    { type: 'ack', upToSeq: 1, count: 1 },
    { type: 'error', code: 'device_unassigned', message: 'the device is no longer assigned to a patient' },
  ]);
  expect(socket.closeCode).toBe(4401);
});

test('retry-after jitter spreads uniformly from the wait to 1.5 × the wait', () => {
  expect(jitteredRetryAfter(1_000, () => 0)).toBe(1_000);
  expect(jitteredRetryAfter(1_000, () => 0.5)).toBe(1_250);
  expect(jitteredRetryAfter(1_000, () => 0.999_999)).toBe(1_500);
});
