import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Whether a stream is live now: a chat room exists only for a stream that exists and has not ended. */
@Injectable()
export class LiveStreams {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async isLive(streamId: string): Promise<boolean> {
    // The primary key answers it; live rows only.
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM streams WHERE id = $1 AND status = 'live'`,
      [streamId],
    );
    return rows.length > 0;
  }
}
