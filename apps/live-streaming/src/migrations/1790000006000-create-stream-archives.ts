import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Archives of ended streams (livestream:S5). One row per stream, written when the stream ends, before the
 * transcoding job is queued, so a streamer can always see where the archive stands:
 *   pending      queued, or waiting for a retry after a failed run
 *   transcoding  a worker's ffmpeg is on it (attempt `attempts`)
 *   ready        every rendition and the master playlist are in the bucket
 *   failed       the last attempt failed; the job stays in the queue's failed set (the dead letters)
 * The primary key is the stream's id: the look-up by stream the review found unindexed (C2) is the key.
 */
export class CreateStreamArchives1790000006000 implements MigrationInterface {
  name = 'CreateStreamArchives1790000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stream_archives (
        stream_id uuid PRIMARY KEY REFERENCES streams (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'transcoding', 'ready', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        renditions jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE stream_archives');
  }
}
