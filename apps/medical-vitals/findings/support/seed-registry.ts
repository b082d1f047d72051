import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { hashDeviceToken } from '../../src/registry/devices/device-token.js';

export interface SeededDevice {
  id: string;
  serial: string;
  token: string;
  patientId: string;
  wardId: string;
}

export interface SeededRegistry {
  hospitalId: string;
  wardIds: string[];
  patientIds: string[];
  devices: SeededDevice[];
}

export interface SeedRegistryOptions {
  wards?: number;
  /** Patients in total, spread round-robin over the wards; each gets one device. */
  patients: number;
}

/**
 * Wards, patients and one device per patient, with known tokens, in three multi-row statements (5,000
 * devices take well under a second). Tokens are deterministic per device so a bench can reconnect.
 */
export async function seedRegistry(pool: pg.Pool, options: SeedRegistryOptions): Promise<SeededRegistry> {
  const hospitalId = randomUUID();
  const wardIds = Array.from({ length: options.wards ?? 1 }, () => randomUUID());
  const patientIds = Array.from({ length: options.patients }, () => randomUUID());
  const devices: SeededDevice[] = patientIds.map((patientId, index) => {
    const id = randomUUID();
    return {
      id,
      serial: `SN-${id.slice(0, 8)}-${index}`,
      token: `token-${id}`,
      patientId,
      wardId: wardIds[index % wardIds.length]!,
    };
  });
  await pool.query(
    `INSERT INTO wards (id, hospital_id, name)
     SELECT id, $2, 'Ward ' || ordinality FROM unnest($1::uuid[]) WITH ORDINALITY AS w(id, ordinality)`,
    [wardIds, hospitalId],
  );
  await pool.query(
    `INSERT INTO patients (id, hospital_id, ward_id, name, mrn, status)
     SELECT p.id, $3, p.ward_id, 'Patient ' || p.ordinality, 'MRN-' || p.id, 'active'
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS p(id, ward_id, ordinality)`,
    [patientIds, devices.map((device) => device.wardId), hospitalId],
  );
  await pool.query(
    `INSERT INTO devices (id, patient_id, serial, token_hash, status)
     SELECT * , 'active' FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
    [
      devices.map((device) => device.id),
      devices.map((device) => device.patientId),
      devices.map((device) => device.serial),
      devices.map((device) => hashDeviceToken(device.token)),
    ],
  );
  return { hospitalId, wardIds, patientIds, devices };
}
