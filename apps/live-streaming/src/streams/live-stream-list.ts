import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { StreamPageRequest } from './stream-page-query.dto.js';
import { STREAM_LIST_PAGES, STREAMS_SORT } from './stream-list.policy.js';
import type { StreamDto } from './stream.dto.js';
import { liveStreamsPageSql } from './stream.sql.js';

/**
 * The live list from Postgres (livestream:S3): one keyset page of live streams with each streamer's profile
 * joined in, one statement per page whatever its size. The seam the S3 proof plugs the review's per-stream
 * profile look-ups into.
 */
@Injectable()
export class LiveStreamList {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async page(request: StreamPageRequest): Promise<KeysetPage<StreamDto>> {
    const page = buildKeysetSql({
      sort: STREAMS_SORT,
      scope: { endpoint: 'GET /streams/live', filter: {} },
      cursor: request.cursor ?? null,
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      ...STREAM_LIST_PAGES,
    });
    const rows = await this.dataSource.query<StreamDto[]>(liveStreamsPageSql(page), [...page.parameters]);
    return page.toPage(rows);
  }
}
