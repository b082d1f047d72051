import { withCorrelationHeaders, type WithCorrelation } from '@remedy/observability';
import type { JobsOptions } from 'bullmq';

/** The BullMQ queue between the /chat handler and the worker that translates and delivers messages. */
export const CHAT_MESSAGES_QUEUE_NAME = 'chat-messages';

/** The Nest token of the API's `Queue` of CHAT_MESSAGES_QUEUE_NAME. */
export const CHAT_MESSAGE_QUEUE = Symbol('CHAT_MESSAGE_QUEUE');

/**
 * A stored message as its delivery needs it, carried in the job that the store enqueues so the worker does not
 * read back the row it was just given (ADR 0089).
 */
export interface QueuedChatMessage {
  sessionId: string;
  organisationId: string;
  authorId: string;
  clientMessageId: string;
  sourceLanguage: string;
  text: string;
  /** When it was stored (ISO 8601): the frames' `sentAt`. */
  createdAt: string;
}

/**
 * A message to deliver, with the correlation IDs of the socket message that stored it (polyglot-b:I-3): its
 * request ID, user and session, so the worker's lines and its provider calls name the same request. `message` is
 * there when the job was enqueued by the store that inserted the row; a resend's and the sweep's jobs carry the id
 * alone, and the worker reads the row.
 */
export type ChatMessageJob = WithCorrelation<{ messageId: string; message?: QueuedChatMessage }>;

/**
 * The job id is the message id, so a resend, a second enqueue after a lost answer and the worker's sweep all
 * land on the one job while it exists. Finished jobs are removed either way: the row's delivered_at, not the
 * job, says whether a message still needs delivering, and a removed id can be enqueued again by the sweep.
 * The data carries the current correlation IDs: call it in the context of the work that stores the message.
 */
export function chatMessageJob(
  messageId: string,
  message?: QueuedChatMessage,
): {
  name: string;
  data: ChatMessageJob;
  opts: JobsOptions;
} {
  return {
    name: 'deliver',
    data: withCorrelationHeaders(message === undefined ? { messageId } : { messageId, message }),
    opts: {
      jobId: messageId,
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}
