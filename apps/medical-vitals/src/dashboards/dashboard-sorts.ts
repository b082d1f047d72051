import type { KeysetSort } from '@remedy/pagination';

/** Patients of a ward in id order: a stable, unique key served by the primary key. */
export const PATIENTS_BY_ID: KeysetSort = [{ column: 'p.id', type: 'uuid', direction: 'ASC' }];

/** A patient's readings newest first; (recorded_at, device_id) is unique within one patient (the primary key). */
export const READINGS_NEWEST_FIRST: KeysetSort = [
  { column: 'v.recorded_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'v.device_id', type: 'uuid', direction: 'DESC' },
];

export const WARD_PATIENT_PAGES = { sort: PATIENTS_BY_ID, defaultLimit: 50, maxLimit: 200 };
export const ACTIVE_PATIENT_PAGES = { sort: PATIENTS_BY_ID, defaultLimit: 100, maxLimit: 500 };
export const VITALS_PAGES = { sort: READINGS_NEWEST_FIRST, defaultLimit: 500, maxLimit: 2_000 };
