import { REGISTRATION_TOPICS } from '../registrations/registration-topics.js';

export interface RegistrationMailFacts {
  email: string;
  name: string;
  eventTitle: string | null;
  startsAt: Date;
  venue: string | null;
}

export interface MailContent {
  subject: string;
  text: string;
}

const OPENINGS: Record<string, (title: string) => string> = {
  [REGISTRATION_TOPICS.confirmed]: (title) => `You are registered for ${title}.`,
  [REGISTRATION_TOPICS.promoted]: (title) => `A seat opened up: you are now registered for ${title}.`,
  [REGISTRATION_TOPICS.waitlisted]: (title) =>
    `${title} is full; you are on the waitlist and will get an e-mail if a seat opens.`,
  [REGISTRATION_TOPICS.eventCancelled]: (title) =>
    `${title} has been cancelled by its organiser; your registration is cancelled.`,
};

/*
 * Only a seat has a check-in code (GET /registrations/:id/qr answers 409 otherwise), so only the mails that
 * give one mention it (issue 9: the waitlist mail used to promise a code the app then refused).
 */
const CLOSINGS: Record<string, string> = {
  [REGISTRATION_TOPICS.confirmed]: 'Your check-in QR code is in the app under "My registrations".',
  [REGISTRATION_TOPICS.promoted]: 'Your check-in QR code is in the app under "My registrations".',
  [REGISTRATION_TOPICS.waitlisted]:
    'There is no check-in code while you wait; it appears in the app once you have a seat.',
  [REGISTRATION_TOPICS.eventCancelled]: 'There is nothing you need to do.',
};

export function isRegistrationMailTopic(topic: string): boolean {
  return topic in OPENINGS;
}

/** The confirmation / waitlist / promotion e-mail for one registration. */
export function registrationMail(topic: string, facts: RegistrationMailFacts): MailContent {
  const title = facts.eventTitle ?? 'the event';
  const opening = OPENINGS[topic]?.(title) ?? `Your registration for ${title} changed.`;
  return {
    subject: opening.split(':')[0]!.slice(0, 120),
    text: [
      `Hello ${facts.name},`,
      '',
      opening,
      `When: ${facts.startsAt.toISOString()}`,
      `Where: ${facts.venue ?? 'to be announced'}`,
      '',
      CLOSINGS[topic] ?? 'See the app under "My registrations" for details.',
    ].join('\n'),
  };
}
