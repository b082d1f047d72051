/** A reading as stored and as published on the `vitals:stored` stream (the shared contract's shape). */
export interface StoredReading {
  patientId: string;
  wardId: string | null;
  deviceId: string;
  seq: number;
  /** ISO 8601, UTC. */
  recordedAt: string;
  heartRate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}
