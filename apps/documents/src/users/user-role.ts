/**
 * An admin runs the organisation: adds users and may rename or delete any of its documents. An editor creates
 * documents, renames any and deletes the ones they own; a viewer reads them.
 */
export const USER_ROLES = ['admin', 'editor', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles an admin may give the users they add; a second admin is added the same way. */
export const ASSIGNABLE_ROLES = USER_ROLES;
