import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage, type KeysetSort } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import { AUDIT_INSERT_SQL } from '../auth/access-control.sql.js';
import type { StaffMember } from '../staff/staff-member.js';
import type { AuditEntry } from './audit-entry.js';

export const AUDIT_NEWEST_FIRST: KeysetSort = [{ column: 'id', type: 'bigint', direction: 'DESC' }];
export const AUDIT_PAGES = { sort: AUDIT_NEWEST_FIRST, defaultLimit: 100, maxLimit: 500 } as const;

export interface AuditRecord {
  id: string;
  at: string;
  staffId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  patientId: string | null;
  detail: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  at: Date;
  staff_id: string;
  action: string;
  resource_type: string;
  resource_id: string;
  patient_id: string | null;
  detail: Record<string, unknown>;
}

/**
 * The append-only audit log (the table refuses UPDATE and DELETE). Written on the primary before the
 * response leaves, so a read that reached the caller is always on record.
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(staff: StaffMember, entry: AuditEntry): Promise<void> {
    await this.dataSource.query(AUDIT_INSERT_SQL, [
      staff.id,
      staff.hospitalId,
      entry.action,
      entry.resourceType,
      entry.resourceId,
      entry.patientId ?? null,
      JSON.stringify(entry.detail ?? {}),
    ]);
  }

  /** The hospital's entries, newest first, optionally for one patient or one staff member. */
  async page(
    hospitalId: string,
    filter: { patientId?: string; staffId?: string },
    page: { cursor?: string; limit?: number },
  ): Promise<KeysetPage<AuditRecord>> {
    const scope = {
      endpoint: 'GET /audit-log',
      filter: { hospitalId, patientId: filter.patientId, staffId: filter.staffId },
    };
    const keyset = buildKeysetSql({ ...AUDIT_PAGES, ...page, scope }, { parameterOffset: 3 });
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id::text, at, staff_id, action, resource_type, resource_id, patient_id, detail, ${keyset.select}
         FROM audit_log
        WHERE hospital_id = $1 AND ($2::uuid IS NULL OR patient_id = $2) AND ($3::uuid IS NULL OR staff_id = $3)
          AND ${keyset.where}
        ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      [hospitalId, filter.patientId ?? null, filter.staffId ?? null, ...keyset.parameters],
    );
    const built = keyset.toPage(rows);
    return {
      data: built.data.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        staffId: row.staff_id,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        patientId: row.patient_id,
        detail: row.detail,
      })),
      pagination: built.pagination,
    };
  }
}
