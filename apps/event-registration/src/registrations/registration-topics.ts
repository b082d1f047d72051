/** Outbox topics written by registration transitions; the mail worker sends one e-mail per message. */
export const REGISTRATION_TOPICS = {
  confirmed: 'registration.confirmed',
  waitlisted: 'registration.waitlisted',
  promoted: 'registration.promoted',
  eventCancelled: 'registration.event-cancelled',
} as const;

export type RegistrationTopic = (typeof REGISTRATION_TOPICS)[keyof typeof REGISTRATION_TOPICS];

export interface RegistrationMessage {
  registrationId: string;
  eventId: string;
  userId: string;
}
