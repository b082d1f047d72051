/** A user's place in a session and the language they follow it in. */
export interface Participant {
  sessionId: string;
  userId: string;
  language: string;
  joinedAt: string;
}

/** What a join did: the participant as it is now, and whether this call added it or changed its language. */
export interface JoinOutcome {
  participant: Participant;
  changed: boolean;
}

/** One of the languages a session is followed in, and how many of its participants follow it in that language. */
export interface SessionLanguage {
  language: string;
  participants: number;
}
