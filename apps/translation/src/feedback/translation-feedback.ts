import type { Member } from '../auth/member.js';

/** What a participant rates: one chat message of a session, as translated into the participant's language. */
export interface RatedTranslation {
  sessionId: string;
  messageId: string;
}

export interface Rating {
  /** 1 (unusable) to 5 (as good as a human's). */
  rating: number;
  comment?: string;
}

/** A stored rating, with the history row it is about. */
export interface FeedbackRecord {
  id: string;
  sessionId: string;
  messageId: string;
  historyId: string;
  sourceLanguage: string;
  targetLanguage: string;
  engine: string;
  rating: number;
  comment: string | null;
  ratedAt: string;
}

/** The ratings of one language pair and engine over a time range. */
export interface QualityGroup {
  sourceLanguage: string;
  targetLanguage: string;
  engine: string;
  ratings: number;
  averageRating: number;
  /** Ratings of 1 or 2: the translations someone found unusable. */
  lowRatings: number;
}

/** A half-open range [from, to) of rating times. */
export interface QualityRange {
  from: Date;
  to: Date;
}

/**
 * Where a participant's rating of a translation goes, and what an organiser reads back (polyglot-a:MI-3): the
 * seam a proof plugs the review's design into; the service's is LinkedTranslationFeedback.
 */
export abstract class TranslationFeedback {
  /** Stores (or replaces) the member's rating; null when there is no such translation for the member to rate. */
  abstract rate(member: Member, target: RatedTranslation, rating: Rating): Promise<FeedbackRecord | null>;

  /** The organisation's ratings made in the range, per language pair and engine. */
  abstract quality(organisationId: string, range: QualityRange): Promise<QualityGroup[]>;
}
