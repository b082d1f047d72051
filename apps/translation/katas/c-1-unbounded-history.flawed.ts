import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { retentionBoundary } from '@remedy/partitioning';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import type { Member } from '../src/auth/member.js';
import type { HistoryEntryDto } from '../src/history/history-entry.dto.js';
import { HISTORY_PAGES, HISTORY_SORT, historyPartitionPolicy } from '../src/history/history.policy.js';
import type { HistoryService } from '../src/history/history.service.js';
import { SessionsService } from '../src/sessions/sessions.service.js';

/*
 * polyglot-a:C-1, polyglot-b:C-2 — the reviewed TranslationHistory is one table "with BIGSERIAL as primary key
 * with no partition strategy or archival mechanism", read back whole: a session's history is every row it ever
 * had, in one answer. Applied after the app's migrations, this migration puts the review's table back (with the
 * (session_id, translated_at DESC) index review a asks for, so the proof measures the missing bounds and
 * partitions, not a missing index: that is S-4's proof); the app's recorder writes into it unchanged.
 */
export class ReviewedHistoryTable1799999999998 implements MigrationInterface {
  name = 'ReviewedHistoryTable1799999999998';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE translation_history;
      CREATE TABLE translation_history (
        id bigserial PRIMARY KEY,
        organisation_id uuid NOT NULL,
        session_id uuid,
        source_language text NOT NULL,
        target_language text NOT NULL,
        source_text text NOT NULL,
        translated_text text NOT NULL,
        engine text NOT NULL,
        translated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX idx_translation_history_session_time ON translation_history (session_id, translated_at DESC);
    `);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}

const COLUMNS = `h.id::text AS id, h.session_id AS "sessionId", h.source_language AS "sourceLanguage",
  h.target_language AS "targetLanguage", h.source_text AS "sourceText", h.translated_text AS "translatedText",
  h.engine, to_char(h.translated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "translatedAt"`;

/** The review's read, in HistoryService's place: every row of the session, newest first, no page and no bound. */
@Injectable()
export class WholeHistoryService implements Pick<HistoryService, 'page'> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionsService) private readonly sessions: SessionsService,
  ) {}

  async page(member: Member, sessionId: string): Promise<KeysetPage<HistoryEntryDto>> {
    await this.sessions.get(member, sessionId);
    const data = await this.dataSource.query<HistoryEntryDto[]>(
      `SELECT ${COLUMNS} FROM translation_history h WHERE h.session_id = $1 ORDER BY h.translated_at DESC`,
      [sessionId],
    );
    return { data, pagination: { nextCursor: null, hasMore: false } };
  }
}

/* Close cousins, put back into the partitioned schema. */

/** A keyset page of at most 100, without the lower time bound: the planner can prune no partition. */
@Injectable()
export class UnboundedPageHistoryService implements Pick<HistoryService, 'page'> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionsService) private readonly sessions: SessionsService,
  ) {}

  async page(
    member: Member,
    sessionId: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<HistoryEntryDto>> {
    await this.sessions.get(member, sessionId);
    const page = buildKeysetSql(
      {
        sort: HISTORY_SORT,
        scope: { endpoint: 'GET /sessions/:id/history', filter: { sessionId } },
        cursor: cursor ?? null,
        ...(limit === undefined ? {} : { limit }),
        ...HISTORY_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<HistoryEntryDto[]>(
      `SELECT ${COLUMNS}, ${page.select} FROM translation_history h
        WHERE h.session_id = $1 AND ${page.where} ORDER BY ${page.orderBy} LIMIT ${page.limit}`,
      [sessionId, ...page.parameters],
    );
    return page.toPage(rows);
  }
}

/** The 30-day bound kept, the page dropped: the whole hot window of the session in one answer. */
@Injectable()
export class UncappedWindowHistoryService implements Pick<HistoryService, 'page'> {
  private readonly policy = historyPartitionPolicy();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SessionsService) private readonly sessions: SessionsService,
  ) {}

  async page(member: Member, sessionId: string): Promise<KeysetPage<HistoryEntryDto>> {
    await this.sessions.get(member, sessionId);
    const data = await this.dataSource.query<HistoryEntryDto[]>(
      `SELECT ${COLUMNS} FROM translation_history h
        WHERE h.session_id = $1 AND h.translated_at >= $2 ORDER BY h.translated_at DESC`,
      [sessionId, retentionBoundary(this.policy, new Date())],
    );
    return { data, pagination: { nextCursor: null, hasMore: false } };
  }
}
