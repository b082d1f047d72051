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
