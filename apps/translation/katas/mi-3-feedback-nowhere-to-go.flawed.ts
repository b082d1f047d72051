import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Member } from '../src/auth/member.js';
import { LinkedTranslationFeedback } from '../src/feedback/linked-translation-feedback.js';
import {
  TranslationFeedback,
  type FeedbackRecord,
  type QualityGroup,
  type QualityRange,
  type RatedTranslation,
  type Rating,
} from '../src/feedback/translation-feedback.js';

/*
 * polyglot-a:MI-3 — the design lists "translation quality feedback collection" as a feature and says nothing of
 * where a rating is stored or how it is analysed. Plugged in as TranslationFeedback: the endpoint accepts the
 * rating (201) and it goes where unspecified things go, a log line; the quality report has nothing to read.
 */
export class UnstoredTranslationFeedback extends TranslationFeedback {
  private readonly logger = new Logger('TranslationFeedback');

  rate(_member: Member, target: RatedTranslation, rating: Rating): Promise<FeedbackRecord | null> {
    this.logger.log({ msg: 'translation feedback', messageId: target.messageId, rating: rating.rating });
    return Promise.resolve({
      id: randomUUID(),
      sessionId: target.sessionId,
      messageId: target.messageId,
      historyId: '',
      sourceLanguage: '',
      targetLanguage: '',
      engine: '',
      rating: rating.rating,
      comment: rating.comment ?? null,
      ratedAt: new Date().toISOString(),
    });
  }

  quality(_organisationId: string, _range: QualityRange): Promise<QualityGroup[]> {
    return Promise.resolve([]);
  }
}

/* Close cousins. */

/**
 * Stored, but beside the message rather than linked to its translation (kept in memory here: the design has no
 * table for it): the rating knows the message and who gave it, not which language pair or engine produced what
 * was rated, so the report can only average everything together.
 */
export class UnlinkedTranslationFeedback extends TranslationFeedback {
  private readonly ratings: Array<{ organisationId: string; rating: number; ratedAt: Date }> = [];

  rate(member: Member, target: RatedTranslation, rating: Rating): Promise<FeedbackRecord | null> {
    const ratedAt = new Date();
    this.ratings.push({ organisationId: member.organisationId, rating: rating.rating, ratedAt });
    return Promise.resolve({
      id: randomUUID(),
      sessionId: target.sessionId,
      messageId: target.messageId,
      historyId: '',
      sourceLanguage: 'unknown',
      targetLanguage: 'unknown',
      engine: 'unknown',
      rating: rating.rating,
      comment: rating.comment ?? null,
      ratedAt: ratedAt.toISOString(),
    });
  }

  quality(organisationId: string, range: QualityRange): Promise<QualityGroup[]> {
    const ratings = this.ratings
      .filter((entry) => entry.organisationId === organisationId)
      .filter((entry) => entry.ratedAt >= range.from && entry.ratedAt < range.to)
      .map((entry) => entry.rating);
    if (ratings.length === 0) return Promise.resolve([]);
    const total = ratings.reduce((sum, rating) => sum + rating, 0);
    return Promise.resolve([
      {
        sourceLanguage: 'unknown',
        targetLanguage: 'unknown',
        engine: 'unknown',
        ratings: ratings.length,
        averageRating: Math.round((total * 100) / ratings.length) / 100,
        lowRatings: ratings.filter((rating) => rating <= 2).length,
      },
    ]);
  }
}

/**
 * Linked like the service's, but the report reads the language pair and engine through a join to the history
 * row: once the archive job retires the day a translation was made, its ratings fall out of every report.
 */
export class HistoryJoinedTranslationFeedback extends LinkedTranslationFeedback {
  constructor(private readonly database: DataSource) {
    super(database);
  }

  override quality(organisationId: string, range: QualityRange): Promise<QualityGroup[]> {
    return this.database.query(
      `SELECT h.source_language AS "sourceLanguage", h.target_language AS "targetLanguage", h.engine,
              count(*)::int AS ratings, round(avg(f.rating), 2)::float8 AS "averageRating",
              count(*) FILTER (WHERE f.rating <= 2)::int AS "lowRatings"
         FROM translation_feedback f
         JOIN translation_history h ON h.id = f.history_id AND h.translated_at = f.history_translated_at
        WHERE f.organisation_id = $1 AND f.rated_at >= $2 AND f.rated_at < $3
        GROUP BY h.source_language, h.target_language, h.engine`,
      [organisationId, range.from, range.to],
    );
  }
}
