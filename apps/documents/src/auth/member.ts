import type { UserRole } from '../users/user-role.js';

/** The caller of a protected route: who, with which role, and the one organisation whose data they may see. */
export interface Member {
  id: string;
  role: UserRole;
  organisationId: string;
}
