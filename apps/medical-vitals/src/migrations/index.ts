import { CreateRefreshTokenTables1767312000000 } from '@remedy/auth';
import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { StaffAccess1765000000000 } from './1765000000000-staff-access.js';

/** Every migration, oldest first (the refresh-token tables of @remedy/auth keep their own timestamp). */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  StaffAccess1765000000000,
  CreateRefreshTokenTables1767312000000,
];
