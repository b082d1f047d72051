/** Postgres types a keyset sort column may have. Cursor values travel as exact text in these types. */
export type KeysetValueType =
  'timestamptz' | 'timestamp' | 'date' | 'integer' | 'bigint' | 'numeric' | 'text' | 'uuid';

export interface KeysetValueCodec {
  /** SQL that renders the column as the canonical text carried in the cursor. */
  selectAsText(column: string): string;
  /** Whether `text` is a value this type's cast accepts, checked before it reaches Postgres. */
  accepts(text: string): boolean;
}

const INT4_MIN = -(2n ** 31n);
const INT4_MAX = 2n ** 31n - 1n;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d{1,19}$/;
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}$/;
const TIMESTAMPTZ_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})Z$/;

function integerWithin(text: string, min: bigint, max: bigint): boolean {
  if (!INTEGER_TEXT.test(text)) return false;
  const value = BigInt(text);
  return value >= min && value <= max;
}

function isCalendarDate(text: string): boolean {
  const match = DATE_TEXT.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isTimestamp(text: string): boolean {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return false;
  const [, date, hours, minutes, seconds] = match as unknown as [string, string, string, string, string];
  return isCalendarDate(date) && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60;
}

/**
 * Timestamps are rendered with to_char at microsecond precision (and in UTC for timestamptz) rather
 * than read into a JS Date: Date keeps milliseconds only, so a cursor built from it would land between
 * rows that differ in the last three digits and skip or repeat them. to_char also ignores DateStyle,
 * and the ISO 8601 text it produces is accepted back by the cast under any DateStyle.
 */
export const KEYSET_VALUE_CODECS: Readonly<Record<KeysetValueType, KeysetValueCodec>> = {
  timestamptz: {
    selectAsText: (column) => `to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    accepts: (text) => {
      const match = TIMESTAMPTZ_TEXT.exec(text);
      return match !== null && isTimestamp(match[1] as string);
    },
  },
  timestamp: {
    selectAsText: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    accepts: isTimestamp,
  },
  date: {
    selectAsText: (column) => `to_char(${column}, 'YYYY-MM-DD')`,
    accepts: isCalendarDate,
  },
  integer: {
    selectAsText: (column) => `(${column})::text`,
    accepts: (text) => integerWithin(text, INT4_MIN, INT4_MAX),
  },
  bigint: {
    selectAsText: (column) => `(${column})::text`,
    accepts: (text) => integerWithin(text, INT8_MIN, INT8_MAX),
  },
  numeric: {
    selectAsText: (column) => `(${column})::text`,
    accepts: (text) => NUMERIC_TEXT.test(text),
  },
  text: {
    // Postgres text cannot hold NUL; letting one through would turn a bad cursor into a 500.
    selectAsText: (column) => `(${column})::text`,
    accepts: (text) => !text.includes('\u0000'),
  },
  uuid: {
    selectAsText: (column) => `(${column})::text`,
    accepts: (text) => UUID_TEXT.test(text),
  },
};
