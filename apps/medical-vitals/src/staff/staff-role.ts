/** Who does what. Nurses and ward admins see only their wards; technicians and hospital admins their hospital. */
export const STAFF_ROLES = ['nurse', 'ward_admin', 'device_technician', 'hospital_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that read patient records (names, MRNs, vitals, reports, live dashboards). */
export const CLINICAL_ROLES: StaffRole[] = ['nurse', 'ward_admin', 'hospital_admin'];
/** Roles that change a ward's patients and alert rules. */
export const WARD_MANAGER_ROLES: StaffRole[] = ['ward_admin', 'hospital_admin'];
/** Roles that provision, reassign and retire devices. */
export const DEVICE_ROLES: StaffRole[] = ['device_technician', 'hospital_admin'];
/** Roles scoped to a whole hospital rather than to their assigned wards. */
export const HOSPITAL_WIDE_ROLES: StaffRole[] = ['device_technician', 'hospital_admin'];
