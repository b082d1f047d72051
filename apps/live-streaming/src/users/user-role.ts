/** Streamers and viewers are the same kind of account: anyone may go live, anyone may watch. */
export const USER_ROLES = ['member'] as const;
export type UserRole = (typeof USER_ROLES)[number];
