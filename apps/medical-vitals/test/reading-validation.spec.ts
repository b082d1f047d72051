import { premakeBoundary } from '@remedy/partitioning';
import { buildConfig } from '../src/config.js';
import { checkReading, READING_MESSAGE_KEYS } from '../src/ingest/reading-validation.js';
import { vitalDataPolicy } from '../src/lifecycle/vital-data.policy.js';

const now = Date.parse('2026-11-24T12:00:00Z');
const policy = vitalDataPolicy(buildConfig({ DATABASE_URL: 'postgres://db/vitals' }).lifecycle);
const limits = {
  now,
  maxFutureSkewMs: 60_000,
  oldestAccepted: premakeBoundary(policy, new Date(now)).getTime(),
};

test('accepts a plausible reading and normalises it', () => {
  const check = checkReading(
    { seq: 7, recordedAt: '2026-11-24T11:59:59+00:00', heartRate: 72, temperature: 36.84 },
    limits,
  );
  expect(check).toEqual({
    ok: true,
    reading: {
      seq: 7,
      recordedAt: '2026-11-24T11:59:59.000Z',
      heartRate: 72,
      spo2: null,
      systolic: null,
      diastolic: null,
      temperature: 36.8,
    },
  });
});

test.each([
  [{ seq: -1, recordedAt: '2026-11-24T11:00:00Z', heartRate: 70 }, 'seq'],
  [{ seq: 1, recordedAt: '2026-11-24T13:00:00Z', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2020-01-01T00:00:00Z', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: 'soon', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2026-09-31T10:00:00Z', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '11/20/2026 08:00', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2026-11-24T11:00:00', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2026-11-24', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2026-11-24T24:00:00Z', heartRate: 70 }, 'recordedAt'],
  [{ seq: 1, recordedAt: '2026-11-24T11:00:00Z', heartRate: 70.5 }, 'heartRate'],
  [{ seq: 1, recordedAt: '2026-11-24T11:00:00Z', spo2: 101 }, 'spo2'],
  [{ seq: 1, recordedAt: '2026-11-24T11:00:00Z', temperature: '37' }, 'temperature'],
  [{ seq: 1, recordedAt: '2026-11-24T11:00:00Z' }, 'reading'],
])('refuses %j, naming %s', (raw, field) => {
  const check = checkReading(raw, limits);
  expect(check.ok).toBe(false);
  if (!check.ok) expect(check.details.map((detail) => detail.field)).toContain(field);
});

test('accepts late readings back to the oldest premade partition and refuses older ones, saying why', () => {
  expect(new Date(limits.oldestAccepted).toISOString()).toBe('2026-11-22T00:00:00.000Z');
  expect(checkReading({ seq: 1, recordedAt: '2026-11-22T00:00:00Z', heartRate: 70 }, limits).ok).toBe(true);
  expect(checkReading({ seq: 2, recordedAt: '2026-11-21T23:59:59.999Z', heartRate: 70 }, limits)).toEqual({
    ok: false,
    seq: 2,
    details: [
      {
        field: 'recordedAt',
        problems: ['is older than 2026-11-22T00:00:00.000Z, the oldest day kept ready for late readings'],
      },
    ],
  });
});

test('keeps the sequence number of a bad reading so the device can tell which one', () => {
  const check = checkReading({ seq: 12, recordedAt: 'x' }, limits);
  expect(check).toMatchObject({ ok: false, seq: 12 });
});

test('reads an explicit offset as the instant it names', () => {
  const check = checkReading({ seq: 1, recordedAt: '2026-11-24T12:30:00.5+01:30', heartRate: 70 }, limits);
  expect(check.ok && check.reading.recordedAt).toBe('2026-11-24T11:00:00.500Z');
});

test('refuses a key that is not a reading field (a misspelt vital would be acked and lost), naming it', () => {
  const check = checkReading(
    { seq: 1, recordedAt: '2026-11-24T11:00:00Z', heartrate: 140, spo2: 97 },
    limits,
  );
  expect(check).toEqual({
    ok: false,
    seq: 1,
    details: [{ field: 'heartrate', problems: ['is not a reading field'] }],
  });
});

test('a { type: "reading" } message may carry its envelope keys, an item of a batch may not', () => {
  const message = {
    type: 'reading',
    traceparent: '00-x',
    seq: 1,
    recordedAt: '2026-11-24T11:00:00Z',
    spo2: 97,
  };
  expect(checkReading(message, limits, READING_MESSAGE_KEYS).ok).toBe(true);
  expect(checkReading(message, limits)).toMatchObject({
    ok: false,
    details: [{ field: 'type' }, { field: 'traceparent' }],
  });
});
