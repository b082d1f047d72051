import type { UserRole } from './user-role.js';

/** A row of users as the app reads it (never with its password hash, except for login). */
export interface User {
  id: string;
  organisationId: string;
  email: string;
  displayName: string;
  role: UserRole;
  createdAt: Date;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}
