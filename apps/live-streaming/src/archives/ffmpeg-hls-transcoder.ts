import { Inject, Injectable } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, ArchivesConfig } from '../config.js';
import { hlsLadderArguments } from './hls-ladder.js';

const STDERR_TAIL_BYTES = 2_000;

/**
 * Runs ffmpeg on one recording into the HLS ladder, under `nice` so transcodes yield the CPU to the worker's
 * event loop (BullMQ's lock renewals, probes) and to anything else on the node. Rejects with ffmpeg's last
 * lines of stderr when it fails; the caller decides about retries.
 */
@Injectable()
export class FfmpegHlsTranscoder {
  private readonly config: ArchivesConfig;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.archives;
  }

  transcode(source: string, outputDir: string): Promise<void> {
    const args = [
      '-n',
      String(this.config.ffmpegNice),
      this.config.ffmpegPath,
      ...hlsLadderArguments(source, outputDir, this.config.ffmpegThreads),
    ];
    return new Promise((resolve, reject) => {
      const ffmpeg = spawn('nice', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      ffmpeg.stderr.setEncoding('utf8');
      ffmpeg.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
      });
      ffmpeg.once('error', reject);
      ffmpeg.once('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      });
    });
  }
}
