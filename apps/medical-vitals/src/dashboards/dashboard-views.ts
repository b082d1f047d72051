import type { StoredReading } from '../storage/stored-reading.js';

export interface PatientSummary {
  id: string;
  name: string | null;
  mrn: string | null;
  wardId: string | null;
  status: 'active' | 'discharged';
  admittedAt: string;
}

export interface ActivePatient extends PatientSummary {
  latest: StoredReading | null;
  openAlerts: number;
}

export interface VitalReading {
  deviceId: string;
  seq: number;
  recordedAt: string;
  heartRate: number | null;
  spo2: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
}

/** An open alert: the same fields as the /live `alert` message, so a page treats both alike. */
export interface OpenAlert {
  id: string;
  patientId: string;
  wardId: string;
  metric: string;
  value: number;
  threshold: number;
  raisedAt: string;
}
