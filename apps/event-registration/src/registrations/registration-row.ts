import type { RegistrationStatus } from './registration-status.js';

/** A registration as the SQL in this feature returns it (`RETURNING ${REGISTRATION_COLUMNS}`). */
export interface RegistrationRow {
  id: string;
  event_id: string;
  user_id: string;
  event_starts_at: Date;
  status: RegistrationStatus;
  version: number;
  registered_at: Date;
  checked_in_at: Date | null;
  cancelled_at: Date | null;
}

export const REGISTRATION_COLUMNS =
  'id, event_id, user_id, event_starts_at, status, version, registered_at, checked_in_at, cancelled_at';
