export const USER_ROLES = ['attendee', 'organiser'] as const;
export type UserRole = (typeof USER_ROLES)[number];
