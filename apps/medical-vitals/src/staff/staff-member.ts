import type { StaffRole } from './staff-role.js';

/** The signed-in staff member as loaded for each request: the token says who, the database says what they may see. */
export interface StaffMember {
  id: string;
  hospitalId: string;
  role: StaffRole;
  /** Wards assigned to the member; hospital-wide roles see every ward of `hospitalId` whatever this says. */
  wardIds: string[];
}
