import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { hashPassword } from '@remedy/auth';
import { DataSource } from 'typeorm';
import { STAFF_SCOPE_SQL } from '../auth/access-control.sql.js';
import type { StaffMember } from './staff-member.js';
import type { StaffRole } from './staff-role.js';
import type { StaffDto } from './staff.dto.js';

export interface NewStaff {
  hospitalId: string;
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  wardIds: string[];
}

interface StaffRow {
  id: string;
  hospital_id: string;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string;
  ward_ids: string[];
}

/** Staff accounts: creation, login lookup and the per-request scope (role, hospital, wards) of an active member. */
@Injectable()
export class StaffService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(staff: NewStaff): Promise<StaffDto> {
    const passwordHash = await hashPassword(staff.password);
    try {
      const [row] = await this.dataSource.query<StaffRow[]>(
        `WITH member AS (
           INSERT INTO staff (hospital_id, email, name, role, password_hash)
           VALUES ($1, lower($2), $3, $4, $5) RETURNING id, hospital_id, email, name, role
         ), assigned AS (
           INSERT INTO staff_wards (staff_id, ward_id) SELECT member.id, unnest($6::uuid[]) FROM member
         )
         SELECT member.*, $6::uuid[] AS ward_ids FROM member`,
        [staff.hospitalId, staff.email, staff.name, staff.role, passwordHash, staff.wardIds],
      );
      return toDto(row!);
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new ConflictException('email already registered');
      throw error;
    }
  }

  async findForLogin(email: string): Promise<(StaffMember & { passwordHash: string }) | null> {
    const rows = await this.dataSource.query<StaffRow[]>(
      `SELECT s.id, s.hospital_id, s.role, s.password_hash,
              coalesce(array_agg(w.ward_id) FILTER (WHERE w.ward_id IS NOT NULL), '{}') AS ward_ids
         FROM staff s LEFT JOIN staff_wards w ON w.staff_id = s.id
        WHERE s.email = lower($1) AND s.active GROUP BY s.id`,
      [email],
    );
    const row = rows[0];
    return row ? { ...toMember(row), passwordHash: row.password_hash } : null;
  }

  /** The member behind a verified token, or null once deactivated: scope changes apply from the next request. */
  async findActive(id: string): Promise<StaffMember | null> {
    const rows = await this.dataSource.query<StaffRow[]>(STAFF_SCOPE_SQL, [id]);
    return rows[0] ? toMember(rows[0]) : null;
  }
}

function toMember(row: StaffRow): StaffMember {
  return { id: row.id, hospitalId: row.hospital_id, role: row.role, wardIds: row.ward_ids };
}

function toDto(row: StaffRow): StaffDto {
  return {
    id: row.id,
    hospitalId: row.hospital_id,
    email: row.email,
    name: row.name,
    role: row.role,
    wardIds: row.ward_ids,
  };
}
