import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DEVICE_SCOPE_SQL,
  HOSPITAL_WARDS_SQL,
  PATIENT_SCOPE_SQL,
  WARD_IN_HOSPITAL_SQL,
} from './access-control.sql.js';
import type { StaffMember } from '../staff/staff-member.js';
import { HOSPITAL_WIDE_ROLES } from '../staff/staff-role.js';

const OUT_OF_SCOPE = 'outside your wards';

/**
 * Ward and hospital scope. A ward, patient or device the member may not see answers 403 whether or not it
 * exists, so the API is no oracle for another hospital's identifiers.
 */
@Injectable()
export class AccessScope {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  isHospitalWide(staff: StaffMember): boolean {
    return HOSPITAL_WIDE_ROLES.includes(staff.role);
  }

  /** The wards the member may see: assigned wards, or every ward of the hospital for hospital-wide roles. */
  async wardIds(staff: StaffMember): Promise<string[]> {
    if (!this.isHospitalWide(staff)) return staff.wardIds;
    const rows = await this.dataSource.query<{ id: string }[]>(HOSPITAL_WARDS_SQL, [staff.hospitalId]);
    return rows.map((row) => row.id);
  }

  async assertWard(staff: StaffMember, wardId: string): Promise<void> {
    if (this.isHospitalWide(staff)) {
      const rows = await this.dataSource.query<unknown[]>(WARD_IN_HOSPITAL_SQL, [wardId, staff.hospitalId]);
      if (rows.length === 1) return;
    } else if (staff.wardIds.includes(wardId)) {
      return;
    }
    throw new ForbiddenException(`ward ${wardId} is ${OUT_OF_SCOPE}`);
  }

  async assertPatient(staff: StaffMember, patientId: string): Promise<void> {
    const rows = await this.dataSource.query<{ hospital_id: string; ward_id: string | null }[]>(
      PATIENT_SCOPE_SQL,
      [patientId],
    );
    const patient = rows[0];
    const visible =
      patient !== undefined &&
      (this.isHospitalWide(staff)
        ? patient.hospital_id === staff.hospitalId
        : patient.ward_id !== null && staff.wardIds.includes(patient.ward_id));
    if (!visible) throw new ForbiddenException(`patient ${patientId} is ${OUT_OF_SCOPE}`);
  }

  /** A device belongs to the hospital of its patient; an unassigned one to no hospital yet. */
  async assertDevice(staff: StaffMember, deviceId: string): Promise<void> {
    const rows = await this.dataSource.query<{ hospital_id: string | null }[]>(DEVICE_SCOPE_SQL, [deviceId]);
    const device = rows[0];
    if (device === undefined) throw new ForbiddenException(`device ${deviceId} is ${OUT_OF_SCOPE}`);
    if (device.hospital_id !== null && device.hospital_id !== staff.hospitalId) {
      throw new ForbiddenException(`device ${deviceId} is ${OUT_OF_SCOPE}`);
    }
  }

  assertHospital(staff: StaffMember, hospitalId: string): void {
    if (hospitalId !== staff.hospitalId) throw new ForbiddenException(`hospital ${hospitalId} is not yours`);
  }
}
