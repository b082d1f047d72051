import { describe, expect, it } from '@jest/globals';
import { registrationMail } from '../src/notifications/registration-mail.js';
import { REGISTRATION_TOPICS } from '../src/registrations/registration-topics.js';

const facts = {
  email: 'aiko@example.com',
  name: 'Aiko',
  eventTitle: 'Quarterly all-hands',
  startsAt: new Date('2031-05-01T09:00:00.000Z'),
  venue: 'Hall A',
};

describe('registration e-mails', () => {
  it('promise a check-in QR code only to registrations that have a seat', () => {
    for (const topic of [REGISTRATION_TOPICS.confirmed, REGISTRATION_TOPICS.promoted]) {
      expect(registrationMail(topic, facts).text).toContain('check-in QR code is in the app');
    }
    for (const topic of [REGISTRATION_TOPICS.waitlisted, REGISTRATION_TOPICS.eventCancelled]) {
      expect(registrationMail(topic, facts).text).not.toContain('QR code is in the app');
    }
    expect(registrationMail(REGISTRATION_TOPICS.waitlisted, facts).text).toContain('no check-in code');
  });

  it('tells attendees of a cancelled event that it is cancelled', () => {
    const mail = registrationMail(REGISTRATION_TOPICS.eventCancelled, facts);
    expect(mail.subject).toBe(
      'Quarterly all-hands has been cancelled by its organiser; your registration is cancelled.',
    );
    expect(mail.text).toContain('Hello Aiko,');
  });
});
