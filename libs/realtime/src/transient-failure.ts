/*
 * Failures that say "not now" rather than "wrong": a Redis command that timed out or found its connection
 * down, a database pool with no free connection, a statement the server cancelled or rolled back under load.
 * A socket client told `unavailable` (retryable) sends the same message again a moment later; told `internal`
 * it would report a bug and give up.
 */
const TRANSIENT_MESSAGES = [
  'Command timed out', // ioredis commandTimeout
  'Connection is closed.', // ioredis, while reconnecting
  "Stream isn't writeable", // ioredis, enableOfflineQueue off
  'timeout exceeded when trying to connect', // pg pool connectionTimeoutMillis
  'Connection terminated due to connection timeout', // pg
];
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'PoolExhaustedError']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/** Statement cancelled (timeout), deadlock, serialization failure, lock not available, too many connections. */
const TRANSIENT_SQL_STATES = new Set(['57014', '40P01', '40001', '55P03', '53300']);

export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { name, message, code, cause } = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((text) => message.startsWith(text))) return true;
  if (typeof code === 'string' && (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQL_STATES.has(code)))
    return true;
  return isTransientFailure(cause, depth + 1);
}
