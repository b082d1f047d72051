export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled', 'checked_in'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/*
 * The only moves a registration can make (events:M-2). checked_in is terminal like cancelled: attendance is
 * a fact, and the review's "post-event cancellation for no-shows" concerns people who never checked in.
 * A waitlisted registration becomes registered only by promotion, when a registered one is cancelled.
 */
export const REGISTRATION_TRANSITIONS: Readonly<Record<RegistrationStatus, readonly RegistrationStatus[]>> = {
  registered: ['cancelled', 'checked_in'],
  waitlisted: ['registered', 'cancelled'],
  checked_in: [],
  cancelled: [],
};

export function canTransition(from: RegistrationStatus, to: RegistrationStatus): boolean {
  return REGISTRATION_TRANSITIONS[from].includes(to);
}
