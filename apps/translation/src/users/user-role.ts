/**
 * An organiser runs the organisation: creates sessions, ends them, keeps the glossaries and adds users. A speaker
 * talks in sessions and may read the glossaries; a viewer joins sessions to follow them in their language.
 */
export const USER_ROLES = ['organiser', 'speaker', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles an organiser may give the users they add; a second organiser is added the same way. */
export const ASSIGNABLE_ROLES = USER_ROLES;
