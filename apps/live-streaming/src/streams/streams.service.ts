import { ConflictException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StreamArchiver } from '../archives/stream-archiver.js';
import { GoLiveAnnouncer } from '../notifications/go-live-announcer.js';
import type { GoLiveDto } from './go-live.dto.js';
import { LiveListRepresentations } from './live-list.representations.js';
import { StreamLifecycleEvents } from './stream-lifecycle.events.js';
import { StreamQueries } from './stream-queries.js';
import type { StreamDto } from './stream.dto.js';

const UNIQUE_VIOLATION = '23505';

/**
 * Going live and ending: one transaction or statement each, then the live list's cache is bumped and the
 * lifecycle event published. Going live also announces the stream to the followers (livestream:C1) inside its
 * transaction: one outbox row, whatever the number of followers. Ending also asks for the archive
 * (livestream:S5), which only queues the transcode. Neither waits for anything downstream.
 */
@Injectable()
export class StreamsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly queries: StreamQueries,
    private readonly liveList: LiveListRepresentations,
    private readonly events: StreamLifecycleEvents,
    private readonly archiver: StreamArchiver,
    private readonly announcer: GoLiveAnnouncer,
  ) {}

  /** One live stream per streamer, held by streams_one_live_per_user_key even under concurrent requests. */
  async goLive(streamerId: string, request: GoLiveDto): Promise<StreamDto> {
    let started: { id: string; started_at: Date };
    try {
      started = await this.dataSource.transaction(async (transaction) => {
        const [row] = await transaction.query<[{ id: string; started_at: Date }]>(
          `INSERT INTO streams (user_id, title, category, status) VALUES ($1, $2, $3, 'live')
           RETURNING id, started_at`,
          [streamerId, request.title, request.category],
        );
        await this.announcer.announce(transaction, {
          streamId: row.id,
          streamerId,
          title: request.title,
          startedAt: row.started_at.toISOString(),
        });
        return row;
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw new ConflictException('you are already live; end that stream first');
      }
      throw error;
    }
    await this.liveList.invalidate();
    this.events.started({ streamId: started.id, streamerId, at: started.started_at.toISOString() });
    return this.queries.byId(started.id);
  }

  /**
   * Only the streamer ends their stream; ending an ended stream changes nothing and answers the same, asking
   * for the archive again (a no-op unless the first request's queueing failed, see QueuedStreamArchiver).
   */
  async end(streamerId: string, streamId: string): Promise<StreamDto> {
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [[ended]] = await this.dataSource.query<[Array<{ ended_at: Date }>, number]>(
      `UPDATE streams SET status = 'ended', ended_at = now()
        WHERE id = $1 AND user_id = $2 AND status = 'live' RETURNING ended_at`,
      [streamId, streamerId],
    );
    if (ended) {
      await this.liveList.invalidate();
      await this.archiver.archive(streamId);
      this.events.ended({ streamId, streamerId, at: ended.ended_at.toISOString() });
      return this.queries.byId(streamId);
    }
    const stream = await this.queries.byId(streamId);
    if (stream.streamer.userId !== streamerId)
      throw new ForbiddenException('only the streamer can end a stream');
    if (stream.status === 'ended') await this.archiver.archive(streamId);
    return stream;
  }
}
