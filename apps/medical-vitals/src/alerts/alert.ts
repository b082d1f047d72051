/** An alert as appended to `vitals:alerts` (the shared contract's shape). */
export interface RaisedAlert {
  id: string;
  patientId: string;
  wardId: string | null;
  metric: string;
  value: number;
  threshold: number;
  /** ISO 8601: the recordedAt of the reading that opened the episode. */
  raisedAt: string;
}

/** An alert whose episode ended, as appended to `vitals:alerts` so open ward pages drop it. */
export interface ClearedAlert {
  id: string;
  patientId: string;
  wardId: string | null;
  /** ISO 8601: the recordedAt of the reading back in range, or when the alert's rule was deleted. */
  clearedAt: string;
}
