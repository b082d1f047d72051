import type { ApiFieldProblems as FieldError } from '@remedy/http';
import type { ReadingPayload } from './ingest-protocol.js';

type Metric = 'heartRate' | 'spo2' | 'systolic' | 'diastolic' | 'temperature';

/** Physiologically possible ranges; anything outside is a device or transport fault, never stored. */
export const METRIC_RANGES: Record<Metric, { min: number; max: number; integer: boolean }> = {
  heartRate: { min: 0, max: 300, integer: true },
  spo2: { min: 0, max: 100, integer: true },
  systolic: { min: 0, max: 300, integer: true },
  diastolic: { min: 0, max: 250, integer: true },
  temperature: { min: 20, max: 45, integer: false },
};

const METRICS = Object.entries(METRIC_RANGES) as [Metric, (typeof METRIC_RANGES)[Metric]][];

export interface ValidReading {
  seq: number;
  recordedAt: string;
  heartRate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}

export type ReadingCheck =
  { ok: true; reading: ValidReading } | { ok: false; seq?: number; details: FieldError[] };

export interface ReadingLimits {
  now: number;
  maxFutureSkewMs: number;
  /** Epoch ms of the oldest partition kept ready (premakeBoundary of the vital_data policy). */
  oldestAccepted: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Date.parse is lenient: it rolls 31 November over to 1 December, reads "12/04/2026 08:00" and takes a
// time without a zone as server-local. A clinical timestamp is only accepted when it is unambiguous.
const ZONED_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an ISO 8601 date-time with `Z` or `±hh:mm`, or NaN for anything else (no roll-over). */
export function parseZonedTimestamp(value: unknown): number {
  const match = typeof value === 'string' ? ZONED_TIMESTAMP.exec(value) : null;
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(local);
  // Date.UTC rolls an impossible day over into the next month; a round trip that changes the day catches it.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return Number.NaN;
  }
  const sign = match[8] === '-' ? -1 : 1;
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

const READING_KEYS: ReadonlySet<string> = new Set(['seq', 'recordedAt', ...Object.keys(METRIC_RANGES)]);

/** The keys a `{ type: "reading", … }` message carries besides the reading's own. */
export const READING_MESSAGE_KEYS: ReadonlySet<string> = new Set(['type', 'traceparent']);

/**
 * Checks one reading and says, per field, what is wrong. A key that is not a reading field (nor one of
 * `envelopeKeys`) is refused rather than ignored: a misspelt vital (`heartrate`) would otherwise be acked and
 * silently lost, as the HTTP API refuses unknown properties for the same reason.
 */
export function checkReading(
  raw: unknown,
  limits: ReadingLimits,
  envelopeKeys: ReadonlySet<string> = new Set(),
): ReadingCheck {
  if (!isRecord(raw)) return { ok: false, details: [{ field: 'reading', problems: ['must be an object'] }] };
  const details: FieldError[] = [];
  for (const key in raw) {
    if (Object.hasOwn(raw, key) && !READING_KEYS.has(key) && !envelopeKeys.has(key)) {
      details.push({ field: JSON.stringify(key).slice(1, -1), problems: ['is not a reading field'] });
    }
  }
  const seq = raw['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    details.push({ field: 'seq', problems: ['must be a non-negative integer'] });
  }
  const recordedAt = parseZonedTimestamp(raw['recordedAt']);
  if (Number.isNaN(recordedAt)) {
    details.push({
      field: 'recordedAt',
      problems: ['must be an ISO 8601 date-time with an explicit offset, e.g. 2026-11-24T10:00:00.000Z'],
    });
  } else if (recordedAt > limits.now + limits.maxFutureSkewMs) {
    details.push({
      field: 'recordedAt',
      problems: [`is more than ${limits.maxFutureSkewMs} ms in the future`],
    });
  } else if (recordedAt < limits.oldestAccepted) {
    details.push({
      field: 'recordedAt',
      problems: [
        `is older than ${new Date(limits.oldestAccepted).toISOString()}, the oldest day kept ready for late readings`,
      ],
    });
  }
  // Per reading on the ingest hot path: one pass over a precomputed list, no per-call entries or spreads.
  const values: Record<Metric, number | null> = {
    heartRate: null,
    spo2: null,
    systolic: null,
    diastolic: null,
    temperature: null,
  };
  let anyValue = false;
  for (const [metric, range] of METRICS) {
    const value = raw[metric];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value))) {
      details.push({ field: metric, problems: [range.integer ? 'must be an integer' : 'must be a number'] });
    } else if (value < range.min || value > range.max) {
      details.push({ field: metric, problems: [`must be between ${range.min} and ${range.max}`] });
    } else {
      values[metric] = range.integer ? value : Math.round(value * 10) / 10;
      anyValue = true;
    }
  }
  if (details.length === 0 && !anyValue) {
    details.push({ field: 'reading', problems: ['carries no vital sign'] });
  }
  const validSeq = typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined;
  if (details.length > 0) return { ok: false, ...(validSeq === undefined ? {} : { seq: validSeq }), details };
  return {
    ok: true,
    reading: {
      seq: seq as number,
      recordedAt: new Date(recordedAt).toISOString(),
      heartRate: values.heartRate,
      spo2: values.spo2,
      systolic: values.systolic,
      diastolic: values.diastolic,
      temperature: values.temperature,
    },
  };
}

export type { ReadingPayload };
