import type { JobsOptions } from 'bullmq';
import type { NotificationsConfig } from '../config.js';
import type { GoLiveNotice } from './go-live-notice.js';

/** The relay publishes each go-live's outbox row here (job id = outbox id); one job per go-live. */
export const GO_LIVE_FANOUT_QUEUE = 'go-live-fanout';

/** One job per batch of at most `notifications.batchSize` followers of one go-live. */
export const NOTIFY_FOLLOWERS_QUEUE = 'notify-followers';

/** A batch job's data: the notice and the followers it covers (ids, so a retry covers the same ones). */
export interface FollowerBatch {
  notice: GoLiveNotice & { streamerName: string };
  /** The batch's place in the fan-out (0, 1, …): with the stream id it names the batch's mobile push. */
  index: number;
  followerIds: string[];
}

/** Where a fan-out has got to, kept in the job's data so a retried fan-out resumes after the last batch. */
export interface FanoutProgress {
  batches: number;
  after: { createdAt: string; followerId: string } | null;
}

/** Retries with exponential backoff; finished jobs kept a while for inspection, never without bound. */
export function notificationJobOptions(config: NotificationsConfig): JobsOptions {
  return {
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.retryDelayMs },
    removeOnComplete: { age: 24 * 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
  };
}
