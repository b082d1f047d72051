import type { JobsOptions } from 'bullmq';

/** The BullMQ queue between the /chat handler and the worker that translates and delivers messages. */
export const CHAT_MESSAGES_QUEUE_NAME = 'chat-messages';

/** The Nest token of the API's `Queue` of CHAT_MESSAGES_QUEUE_NAME. */
export const CHAT_MESSAGE_QUEUE = Symbol('CHAT_MESSAGE_QUEUE');

export interface ChatMessageJob {
  messageId: string;
}

/**
 * The job id is the message id, so a resend, a second enqueue after a lost answer and the worker's sweep all
 * land on the one job while it exists. Finished jobs are removed either way: the row's delivered_at, not the
 * job, says whether a message still needs delivering, and a removed id can be enqueued again by the sweep.
 */
export function chatMessageJob(messageId: string): {
  name: string;
  data: ChatMessageJob;
  opts: JobsOptions;
} {
  return {
    name: 'deliver',
    data: { messageId },
    opts: {
      jobId: messageId,
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}
