import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { LiveStreamList } from '../src/streams/live-stream-list.js';
import type { StreamPageRequest } from '../src/streams/stream-page-query.dto.js';
import { STREAM_LIST_PAGES, STREAMS_SORT } from '../src/streams/stream-list.policy.js';
import type { StreamDto, StreamerDto } from '../src/streams/stream.dto.js';

/*
 * livestream:S3 — the design's stream list, `GET /api/streams`: "1. Fetch all streams 2. For each stream,
 * fetch user information by user_id". A page of 100 streams is 101 queries.
 *
 * PerStreamProfileLookups takes LiveStreamList's place: the same route, page and response, with the
 * streamer's profile read by one query per stream.
 */
const STREAM_ONLY_COLUMNS = `s.id, s.title, s.category, s.status, s.user_id AS "userId",
       to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "startedAt",
       to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "endedAt"`;

type StreamRow = Omit<StreamDto, 'streamer'> & { userId: string };

@Injectable()
export class PerStreamProfileLookups implements Pick<LiveStreamList, 'page'> {
  constructor(@Inject(DataSource) protected readonly dataSource: DataSource) {}

  async page(request: StreamPageRequest): Promise<KeysetPage<StreamDto>> {
    const streams = await this.streams(request);
    const data: StreamDto[] = [];
    for (const { userId, ...stream } of streams.data) {
      data.push({ ...stream, streamer: await this.streamer(userId) });
    }
    return { data, pagination: streams.pagination };
  }

  protected async streams(request: StreamPageRequest): Promise<KeysetPage<StreamRow>> {
    const page = buildKeysetSql({
      sort: STREAMS_SORT,
      scope: { endpoint: 'GET /streams/live', filter: {} },
      cursor: request.cursor ?? null,
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      ...STREAM_LIST_PAGES,
    });
    const rows = await this.dataSource.query<StreamRow[]>(
      `SELECT ${STREAM_ONLY_COLUMNS}, ${page.select} FROM streams s
        WHERE s.status = 'live' AND ${page.where} ORDER BY ${page.orderBy} LIMIT ${page.limit}`,
      [...page.parameters],
    );
    return page.toPage(rows);
  }

  protected async streamer(userId: string): Promise<StreamerDto> {
    const [streamer] = await this.dataSource.query<StreamerDto[]>(
      `SELECT user_id AS "userId", username, display_name AS "displayName", avatar_url AS "avatarUrl"
         FROM profiles WHERE user_id = $1`,
      [userId],
    );
    if (!streamer) throw new Error(`profile ${userId} missing`);
    return streamer;
  }
}

/* A close cousin, put back into the remediated service. */

/** The same look-ups sent all at once: the page waits less, but Postgres still runs one query per stream. */
@Injectable()
export class ParallelProfileLookups extends PerStreamProfileLookups {
  override async page(request: StreamPageRequest): Promise<KeysetPage<StreamDto>> {
    const streams = await this.streams(request);
    const data = await Promise.all(
      streams.data.map(async ({ userId, ...stream }) => ({
        ...stream,
        streamer: await this.streamer(userId),
      })),
    );
    return { data, pagination: streams.pagination };
  }
}
