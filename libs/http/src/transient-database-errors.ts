import { sqlState } from './sql-state.js';

/*
 * SQLSTATEs that say "not now" rather than "wrong": the server cancelled or rolled back the statement
 * because of load or of a concurrent session, and the same request can succeed a moment later. They leave
 * as 503 with Retry-After, never as a 500, so clients and load balancers retry instead of reporting a bug.
 */
const TRANSIENT_SQL_STATES: Readonly<Record<string, string>> = {
  '57014': 'query cancelled: it ran past the statement timeout',
  '40P01': 'deadlock detected: the database rolled the request back to break a lock cycle',
  '40001': 'serialization failure: a concurrent change conflicted with this request',
  '55P03': 'lock not available: a lock the request needed was not granted in time',
};

/** The reason to send for a transient database error, or undefined for anything else. */
export function transientDatabaseReason(exception: unknown): string | undefined {
  const code = sqlState(exception);
  return code === undefined ? undefined : TRANSIENT_SQL_STATES[code];
}
