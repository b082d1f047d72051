import { createPgPool } from '@remedy/pooling';
import { onVitalMessage } from '../../katas/v-04-insert-per-reading.flawed.js';
import type { ReadingMessage } from './device-client.js';
import type { SeededDevice } from './seed-registry.js';

/**
 * Drives the vitals:V-04 kata the way its devices would: every device at once, each sending its readings one
 * at a time, each reading one INSERT on a default-sized pool. Shared by the proof and the ingest bench.
 */
export async function ingestThroughKataV04(
  databaseUrl: string,
  devices: SeededDevice[],
  readingsOf: () => ReadingMessage[],
): Promise<void> {
  const pool = createPgPool({
    name: 'kata-v04',
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5_000,
    statementTimeoutMs: 5_000,
    idleInTransactionSessionTimeoutMs: 10_000,
  });
  try {
    await Promise.all(
      devices.map(async (device) => {
        for (const reading of readingsOf()) {
          await onVitalMessage(pool, {
            patientId: device.patientId,
            deviceId: device.id,
            recordedAt: reading.recordedAt,
            heartRate: reading.heartRate ?? null,
            spo2: reading.spo2 ?? null,
            systolic: reading.systolic ?? null,
            diastolic: reading.diastolic ?? null,
            temperature: reading.temperature ?? null,
          });
        }
      }),
    );
  } finally {
    await pool.end();
  }
}
