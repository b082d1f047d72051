import { writeOutboxMessage } from '@remedy/outbox';
import type { EntityManager } from 'typeorm';

/**
 * What happened to a session, written to the outbox in the transaction that made the change: an event exists if
 * and only if its change committed, and it is never lost between the commit and its delivery (at least once;
 * consumers key on the outbox id). The worker's SessionEventsRelay publishes them to its queue; joins and leaves
 * invalidate the session's cached language map there.
 */
export const SESSION_EVENT_TOPICS = {
  started: 'session.started',
  ended: 'session.ended',
  participantJoined: 'session.participant-joined',
  participantLeft: 'session.participant-left',
} as const;

export type SessionEventTopic = (typeof SESSION_EVENT_TOPICS)[keyof typeof SESSION_EVENT_TOPICS];

export interface SessionEventPayload {
  sessionId: string;
  organisationId: string;
  /** The participant, for join and leave events. */
  userId?: string;
  language?: string;
}

export async function recordSessionEvent(
  manager: EntityManager,
  topic: SessionEventTopic,
  payload: SessionEventPayload,
): Promise<void> {
  await writeOutboxMessage(manager, { topic, payload });
}
