import { Inject, Injectable } from '@nestjs/common';
import { retentionBoundary } from '@remedy/partitioning';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { historyPartitionPolicy } from '../history/history.policy.js';
import { QUALITY_SQL, RATE_TRANSLATION_SQL } from './feedback.sql.js';
import {
  TranslationFeedback,
  type FeedbackRecord,
  type QualityGroup,
  type QualityRange,
  type RatedTranslation,
  type Rating,
} from './translation-feedback.js';

/**
 * polyglot-a:MI-3: a rating is a row of translation_feedback linked to the history row of the translation it
 * rates, carrying that row's language pair and engine, so the aggregate groups ratings by what produced the
 * translation without reading history (whose old days are archived away).
 */
@Injectable()
export class LinkedTranslationFeedback extends TranslationFeedback {
  private readonly historyPolicy = historyPartitionPolicy();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super();
  }

  async rate(member: Member, target: RatedTranslation, rating: Rating): Promise<FeedbackRecord | null> {
    const rows: FeedbackRecord[] = await this.dataSource.query(RATE_TRANSLATION_SQL, [
      target.sessionId,
      target.messageId,
      member.organisationId,
      member.id,
      rating.rating,
      rating.comment ?? null,
      retentionBoundary(this.historyPolicy, new Date()),
    ]);
    return rows[0] ?? null;
  }

  quality(organisationId: string, range: QualityRange): Promise<QualityGroup[]> {
    return this.dataSource.query(QUALITY_SQL, [organisationId, range.from, range.to]);
  }
}
