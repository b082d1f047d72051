import type { AuthenticatedRequest } from '@remedy/auth';
import type { StaffMember } from '../staff/staff-member.js';

/** A request the staff guard let through: `staff` is the member's current scope, loaded from the database. */
export interface StaffRequest extends AuthenticatedRequest {
  staff?: StaffMember;
}
