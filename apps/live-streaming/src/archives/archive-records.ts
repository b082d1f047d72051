import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type ArchiveStatus = 'pending' | 'transcoding' | 'ready' | 'failed';

export interface RenditionRecord {
  name: string;
  /** Relative to the archive's root, as the master playlist names it. */
  playlist: string;
}

export interface ArchiveRecord {
  streamId: string;
  status: ArchiveStatus;
  attempts: number;
  renditions: RenditionRecord[];
  updatedAt: Date;
}

/** The `stream_archives` rows: where each ended stream's archive stands (see the migration for the states). */
@Injectable()
export class ArchiveRecords {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Creates the row as `pending` when there is none; answers the archive's status either way. */
  async request(streamId: string): Promise<ArchiveStatus> {
    const [row] = await this.dataSource.query<Array<{ status: ArchiveStatus }>>(
      `INSERT INTO stream_archives (stream_id) VALUES ($1)
       ON CONFLICT (stream_id) DO UPDATE SET stream_id = EXCLUDED.stream_id
       RETURNING status`,
      [streamId],
    );
    if (row === undefined) throw new Error(`no archive row for stream ${streamId}`);
    return row.status;
  }

  async transcoding(streamId: string, attempt: number): Promise<void> {
    await this.set(streamId, `status = 'transcoding', attempts = $2`, [attempt]);
  }

  /** A failed run that will be retried: pending again until the retry's delay has passed. */
  async awaitingRetry(streamId: string): Promise<void> {
    await this.set(streamId, `status = 'pending'`);
  }

  async ready(streamId: string, renditions: RenditionRecord[]): Promise<void> {
    await this.set(streamId, `status = 'ready', renditions = $2::jsonb`, [JSON.stringify(renditions)]);
  }

  async failed(streamId: string): Promise<void> {
    await this.set(streamId, `status = 'failed'`);
  }

  async find(streamId: string): Promise<ArchiveRecord | undefined> {
    const [row] = await this.dataSource.query<
      Array<{
        status: ArchiveStatus;
        attempts: number;
        renditions: RenditionRecord[];
        updated_at: Date;
      }>
    >('SELECT status, attempts, renditions, updated_at FROM stream_archives WHERE stream_id = $1', [
      streamId,
    ]);
    return row === undefined
      ? undefined
      : {
          streamId,
          status: row.status,
          attempts: row.attempts,
          renditions: row.renditions,
          updatedAt: row.updated_at,
        };
  }

  private async set(streamId: string, assignments: string, values: unknown[] = []): Promise<void> {
    await this.dataSource.query(
      `UPDATE stream_archives SET ${assignments}, updated_at = now() WHERE stream_id = $1`,
      [streamId, ...values],
    );
  }
}
