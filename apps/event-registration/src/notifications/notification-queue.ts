/** Outbox messages about registrations are relayed to this BullMQ queue, one job per message. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** Consumer name in the processed-message guard: one e-mail per outbox message, however often it is delivered. */
export const CONFIRMATION_MAILER = 'confirmation-mailer';
