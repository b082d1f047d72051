/**
 * Every statement the access layer runs on each request: the member's scope, the scope checks and the audit
 * row. They run on the primary on purpose: a revoked ward or a deactivated account must take effect on the
 * next request, not after the replica's lag, and the audit row is a write. (vitals:V-13 counts dashboard
 * and report reads, and leaves these out by this list.)
 */
export const STAFF_SCOPE_SQL = `SELECT s.id, s.hospital_id, s.role,
       coalesce(array_agg(w.ward_id) FILTER (WHERE w.ward_id IS NOT NULL), '{}') AS ward_ids
  FROM staff s LEFT JOIN staff_wards w ON w.staff_id = s.id
 WHERE s.id = $1 AND s.active GROUP BY s.id`;
export const HOSPITAL_WARDS_SQL = 'SELECT id FROM wards WHERE hospital_id = $1';
export const WARD_IN_HOSPITAL_SQL = 'SELECT 1 FROM wards WHERE id = $1 AND hospital_id = $2';
export const PATIENT_SCOPE_SQL = 'SELECT hospital_id, ward_id FROM patients WHERE id = $1';
export const DEVICE_SCOPE_SQL =
  'SELECT p.hospital_id FROM devices d LEFT JOIN patients p ON p.id = d.patient_id WHERE d.id = $1';
export const AUDIT_INSERT_SQL = `INSERT INTO audit_log (staff_id, hospital_id, action, resource_type, resource_id, patient_id, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export const ACCESS_CONTROL_SQL: readonly string[] = [
  STAFF_SCOPE_SQL,
  HOSPITAL_WARDS_SQL,
  WARD_IN_HOSPITAL_SQL,
  PATIENT_SCOPE_SQL,
  DEVICE_SCOPE_SQL,
  AUDIT_INSERT_SQL,
];
