import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { StreamPageRequest } from './stream-page-query.dto.js';
import { STREAM_LIST_PAGES, STREAMS_SORT } from './stream-list.policy.js';
import type { StreamDto } from './stream.dto.js';
import { pastStreamsPageSql, STREAM_BY_ID_SQL } from './stream.sql.js';

/** One stream, and a streamer's past streams as keyset pages; each one statement with the profile joined. */
@Injectable()
export class StreamQueries {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async byId(streamId: string): Promise<StreamDto> {
    const [stream] = await this.dataSource.query<StreamDto[]>(STREAM_BY_ID_SQL, [streamId]);
    if (!stream) throw new NotFoundException(`stream ${streamId} not found`);
    return stream;
  }

  async pastStreams(userId: string, request: StreamPageRequest): Promise<KeysetPage<StreamDto>> {
    const page = buildKeysetSql(
      {
        sort: STREAMS_SORT,
        scope: { endpoint: 'GET /users/:id/streams', filter: { userId } },
        cursor: request.cursor ?? null,
        ...(request.limit === undefined ? {} : { limit: request.limit }),
        ...STREAM_LIST_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<StreamDto[]>(pastStreamsPageSql(page), [
      userId,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }
}
