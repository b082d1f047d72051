/** Messages of the device protocol on WebSocket /ingest (documented in the README). */
export interface AuthMessage {
  type: 'auth';
  deviceId: string;
  token: string;
}

export interface ReadingPayload {
  seq: number;
  recordedAt: string;
  heartRate?: number | null;
  spo2?: number | null;
  systolic?: number | null;
  diastolic?: number | null;
  temperature?: number | null;
}

export type ServerMessage =
  | { type: 'auth_ok'; deviceId: string; patientId: string }
  /** After a registry change: the patient the device's next readings are recorded for. */
  | { type: 'assignment'; deviceId: string; patientId: string }
  | { type: 'ack'; upToSeq: number; count: number }
  | { type: 'error'; code: IngestErrorCode; message: string; details?: unknown; seq?: number }
  | {
      type: 'throttled';
      retryAfterMs: number;
      reason: 'rate_limit' | 'buffer_full' | 'shutting_down';
      seqs: number[];
    };

export type IngestErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'unauthorized'
  | 'token_in_url'
  | 'query_string'
  | 'auth_timeout'
  | 'auth_unavailable'
  | 'device_unassigned'
  | 'invalid_reading'
  | 'conflicting_reading'
  | 'too_many_readings'
  | 'store_failed'
  | 'internal';

/**
 * Close codes: 4400 protocol violation, 4401 authentication failed, 1012 server restarting (reconnect),
 * 1013 try again later (authentication could not be checked).
 */
export const CLOSE_PROTOCOL = 4400;
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_RESTARTING = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;
