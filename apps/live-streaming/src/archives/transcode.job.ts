import type { JobsOptions } from 'bullmq';
import type { ArchivesConfig } from '../config.js';

/** The queue both entries share: the API adds a job per ended stream, the worker runs ffmpeg for it. */
export const TRANSCODE_QUEUE_NAME = 'transcode';
export const TRANSCODE_QUEUE = Symbol('TRANSCODE_QUEUE');

export interface TranscodeJob {
  streamId: string;
}

/**
 * One job per stream (its id is the job id, so asking twice while one waits adds nothing), retried with
 * exponential backoff; after the last attempt the job stays in the failed set (the dead letters, kept 30 days)
 * and the archive row says `failed`.
 */
export function transcodeJobOptions(streamId: string, config: ArchivesConfig): JobsOptions {
  return {
    jobId: streamId,
    attempts: config.transcodeAttempts,
    backoff: { type: 'exponential', delay: config.transcodeBackoffMs },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { age: 30 * 86_400 },
  };
}
