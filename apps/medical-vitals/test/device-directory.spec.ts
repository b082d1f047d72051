import type { DataSource } from 'typeorm';
import { buildConfig } from '../src/config.js';
import type { CacheInvalidationBus } from '../src/redis/cache-invalidation.bus.js';
import { DeviceDirectory } from '../src/registry/devices/device-directory.service.js';

const DEVICE_ID = '00000000-0000-4000-8000-000000000001';
const OLD_PATIENT_ID = '00000000-0000-4000-8000-000000000002';
const NEW_PATIENT_ID = '00000000-0000-4000-8000-000000000003';

interface DeviceRow {
  id: string;
  patient_id: string | null;
  ward_id: string | null;
  token_hash: string;
  status: string;
}

function row(patientId: string): DeviceRow {
  return { id: DEVICE_ID, patient_id: patientId, ward_id: null, token_hash: 'hash', status: 'active' };
}

test('an answer read before a change is not cached once the change arrives: the next lookup reads again', async () => {
  // The query is answered by hand, so the change can arrive while it is in flight (read before the commit).
  const answers: Array<(rows: DeviceRow[]) => void> = [];
  const dataSource = {
    query: () => new Promise<DeviceRow[]>((resolve) => answers.push(resolve)),
  } as unknown as DataSource;
  const listeners: Array<(id: string) => void> = [];
  const bus = {
    on: (_kind: string, listener: (id: string) => void) => listeners.push(listener),
  } as unknown as CacheInvalidationBus;
  const directory = new DeviceDirectory(
    dataSource,
    bus,
    buildConfig({ DATABASE_URL: 'postgres://db/vitals' }),
  );

  const before = directory.lookup(DEVICE_ID);
  for (const listener of listeners) listener(DEVICE_ID);
  answers[0]!([row(OLD_PATIENT_ID)]);
  // It asked before the change: the answer of its time is the right one.
  expect((await before)?.patientId).toBe(OLD_PATIENT_ID);

  const after = directory.lookup(DEVICE_ID);
  expect(answers).toHaveLength(2);
  answers[1]!([row(NEW_PATIENT_ID)]);
  expect((await after)?.patientId).toBe(NEW_PATIENT_ID);
});
