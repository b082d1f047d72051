import { describe, expect, it } from '@jest/globals';
import { canTransition, REGISTRATION_STATUSES } from '../src/registrations/registration-status.js';

describe('registration state machine', () => {
  it.each([
    ['registered', 'cancelled'],
    ['registered', 'checked_in'],
    ['waitlisted', 'registered'],
    ['waitlisted', 'cancelled'],
  ] as const)('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('cancelled and checked_in are terminal; nothing else moves', () => {
    const allowed = REGISTRATION_STATUSES.flatMap((from) =>
      REGISTRATION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'registered→cancelled',
        'registered→checked_in',
        'waitlisted→cancelled',
        'waitlisted→registered',
      ].sort(),
    );
  });
});
