import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import { StatsCache } from '../stats/stats.cache.js';
import type { SurveyAnswerDto } from './submit-survey.dto.js';
import { SURVEY_RESPONSE_PAGES, type SurveyResponseDto } from './survey-response.dto.js';

/**
 * Post-event surveys: one response per checked-in attendee per event, enforced by the unique key
 * (event_id, user_id, event_starts_at) rather than a read-then-insert, so a double submit is a 409 even
 * when both arrive at once.
 */
@Injectable()
export class SurveysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statsCache: StatsCache,
  ) {}

  async submit(eventId: string, userId: string, answers: SurveyAnswerDto[]): Promise<SurveyResponseDto> {
    const rows = await this.dataSource.query<SurveyResponseDto[]>(
      `INSERT INTO survey_responses (event_id, user_id, event_starts_at, answers)
       SELECT r.event_id, r.user_id, r.event_starts_at, $3::jsonb FROM registrations r
        WHERE r.event_id = $1 AND r.user_id = $2 AND r.status = 'checked_in'
       ON CONFLICT ON CONSTRAINT survey_responses_one_per_user_per_event DO NOTHING
       RETURNING id, user_id AS "userId", answers, submitted_at AS "submittedAt"`,
      [eventId, userId, JSON.stringify(answers.map((answer) => ({ ...answer })))],
    );
    const response = rows[0];
    if (!response) throw await this.whyRejected(eventId, userId);
    await this.statsCache.invalidate(eventId);
    return response;
  }

  async page(
    eventId: string,
    organiserId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<KeysetPage<SurveyResponseDto>> {
    const [event] = await this.dataSource.query<{ organiserId: string; startsAt: Date }[]>(
      'SELECT organiser_id AS "organiserId", start_datetime AS "startsAt" FROM events WHERE id = $1',
      [eventId],
    );
    if (!event) throw notFound(eventId);
    if (event.organiserId !== organiserId) {
      throw new ForbiddenException({
        message: "only the event's organiser can read its survey",
        details: [],
      });
    }
    const keyset = buildKeysetSql(
      {
        ...SURVEY_RESPONSE_PAGES,
        scope: { endpoint: 'GET /events/:id/survey/responses', filter: { eventId } },
        cursor,
        limit,
      },
      { parameterOffset: 2 },
    );
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT id, user_id AS "userId", answers, submitted_at AS "submittedAt", ${keyset.select}
         FROM survey_responses
        WHERE event_id = $1 AND event_starts_at = $2 AND ${keyset.where}
        ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      [eventId, event.startsAt, ...keyset.parameters],
    );
    const page = keyset.toPage(rows);
    return { data: page.data.map(toResponse), pagination: page.pagination };
  }

  private async whyRejected(eventId: string, userId: string): Promise<Error> {
    const [state] = await this.dataSource.query<{ eventExists: boolean; answered: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS "eventExists",
              EXISTS (SELECT 1 FROM survey_responses WHERE event_id = $1 AND user_id = $2) AS answered`,
      [eventId, userId],
    );
    if (!state?.eventExists) return notFound(eventId);
    if (state.answered) {
      return new ConflictException({
        message: 'you have already answered this survey',
        details: [{ field: 'answers', message: 'one response per attendee per event' }],
      });
    }
    return new ForbiddenException({
      message: 'only attendees who checked in can answer the survey',
      details: [],
    });
  }
}

function toResponse(row: Record<string, unknown>): SurveyResponseDto {
  return {
    id: row['id'] as string,
    userId: row['userId'] as string,
    answers: row['answers'] as SurveyAnswerDto[],
    submittedAt: row['submittedAt'] as Date,
  };
}

function notFound(eventId: string): NotFoundException {
  return new NotFoundException({
    message: `event ${eventId} not found`,
    details: [{ field: 'id', message: 'no such event' }],
  });
}
