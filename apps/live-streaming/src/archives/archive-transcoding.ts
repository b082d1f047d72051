import { Injectable } from '@nestjs/common';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MASTER_PLAYLIST } from './archive-files.js';
import type { RenditionRecord } from './archive-records.js';
import { FfmpegHlsTranscoder } from './ffmpeg-hls-transcoder.js';
import { HLS_LADDER } from './hls-ladder.js';
import { MediaBucket } from './media-bucket.js';

/**
 * One archive, start to finish: the recording from the bucket into scratch space, ffmpeg into the ladder, every
 * file back to the bucket (the master playlist last, so a reader never finds a master naming missing files),
 * scratch space removed whatever happened. Running it again overwrites the same keys: a retry is harmless.
 */
@Injectable()
export class ArchiveTranscoding {
  constructor(
    private readonly bucket: MediaBucket,
    private readonly transcoder: FfmpegHlsTranscoder,
  ) {}

  async run(streamId: string, workDir: string): Promise<RenditionRecord[]> {
    await mkdir(workDir, { recursive: true });
    const scratch = await mkdtemp(join(workDir, `archive-${streamId}-`));
    try {
      const source = join(scratch, 'recording.mp4');
      const output = join(scratch, 'hls');
      await this.bucket.downloadRecording(streamId, source);
      await this.transcoder.transcode(source, output);
      const files = (await readdir(output, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => relative(output, join(entry.parentPath, entry.name)))
        .sort((a, b) => Number(a === MASTER_PLAYLIST) - Number(b === MASTER_PLAYLIST));
      for (const file of files) await this.bucket.uploadArchiveFile(streamId, file, join(output, file));
      return HLS_LADDER.map((rung) => ({ name: rung.name, playlist: `${rung.name}/index.m3u8` }));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
