import type { OutboxEnvelope } from '@remedy/outbox';
import type { SessionEventPayload } from './session-events.js';

/** The BullMQ queue the outbox relay moves session events to; the job name is the event's topic. */
export const SESSION_EVENTS_QUEUE_NAME = 'session-events';

export type SessionEventJob = OutboxEnvelope<SessionEventPayload>;
