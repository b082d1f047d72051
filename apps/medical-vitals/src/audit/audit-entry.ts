/** What an audit row records: who (staff), what (action on a resource), and whose record (patient) if any. */
export type AuditAction =
  | 'patient.read'
  | 'patient.list'
  | 'patient.create'
  | 'patient.update'
  | 'vitals.read'
  | 'report.download'
  | 'rule.create'
  | 'rule.update'
  | 'rule.delete'
  | 'device.create'
  | 'device.update'
  | 'staff.create'
  | 'dashboard-token.issue';

export interface AuditEntry {
  action: AuditAction;
  resourceType: 'patient' | 'ward' | 'alert-rule' | 'device' | 'staff' | 'dashboard-token';
  resourceId: string;
  patientId?: string | null;
  detail?: Record<string, unknown>;
}
