import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { retentionBoundary } from '@remedy/partitioning';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { HistoryEntryDto } from './history-entry.dto.js';
import { HISTORY_PAGES, HISTORY_SORT, historyPartitionPolicy } from './history.policy.js';
import { historyPageSql } from './history.sql.js';

/**
 * Reads a session's translation history newest first, from the oldest partition still hot: older rows are
 * archived, and the bound lets the planner skip every partition before it.
 */
@Injectable()
export class HistoryService {
  private readonly policy = historyPartitionPolicy();

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
      { parameterOffset: 2 },
    );
    const rows = await this.dataSource.query<HistoryEntryDto[]>(historyPageSql(page), [
      sessionId,
      retentionBoundary(this.policy, new Date()),
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }
}
