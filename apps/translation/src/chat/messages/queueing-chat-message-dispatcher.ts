import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  ChatMessageDispatcher,
  type ChatAuthor,
  type ChatMessageInput,
  type ChatMessageReceipt,
} from './chat-message-dispatcher.js';
import {
  CHAT_MESSAGE_QUEUE,
  chatMessageJob,
  type ChatMessageJob,
  type QueuedChatMessage,
} from './chat-message-queue.js';
import { EXISTING_CHAT_MESSAGE_SQL, INSERT_CHAT_MESSAGE_SQL } from './chat-messages.sql.js';

interface StoredMessage {
  id: string;
  delivered_at: Date | null;
  /** Set when this call inserted the row: the message as its delivery needs it. A resend has none. */
  queued?: QueuedChatMessage;
}

interface InsertedMessage {
  id: string;
  delivered_at: Date | null;
  source_language: string;
  created_at: Date;
  organisation_id: string;
}

/**
 * polyglot-a:S-5, polyglot-b:C-4: the handler never waits on a provider. It stores the message (one row per
 * resend key), enqueues its delivery after the commit and answers `pending`; the worker translates. The row is
 * what the acknowledgement rests on: when the enqueue fails (queue Redis down) the message is still
 * acknowledged, and the worker's sweep enqueues every undelivered row again.
 */
@Injectable()
export class QueueingChatMessageDispatcher extends ChatMessageDispatcher {
  private readonly logger = new Logger('ChatMessages');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CHAT_MESSAGE_QUEUE) private readonly queue: Queue<ChatMessageJob>,
  ) {
    super();
  }

  async dispatch(author: ChatAuthor, message: ChatMessageInput): Promise<ChatMessageReceipt | null> {
    const stored = await storeChatMessage(this.dataSource, author, message);
    if (stored === null) return null;
    // A resend of a delivered message: its delivery is done, and a new job would deliver it twice.
    if (stored.delivered_at === null) {
      const job = chatMessageJob(stored.id, stored.queued);
      await this.queue
        .add(job.name, job.data, job.opts)
        .catch((error: unknown) =>
          this.logger.warn(
            `message ${stored.id} stored, enqueue failed (the sweep retries): ${String(error)}`,
          ),
        );
    }
    return { messageId: stored.id, clientMessageId: message.clientMessageId };
  }
}

/** Inserts the message, or finds the one a resend refers to; null when the author is not a participant. */
export async function storeChatMessage(
  dataSource: DataSource,
  author: ChatAuthor,
  message: ChatMessageInput,
): Promise<StoredMessage | null> {
  const key = [author.sessionId, author.userId, message.clientMessageId];
  const [inserted]: InsertedMessage[] = await dataSource.query(INSERT_CHAT_MESSAGE_SQL, [
    ...key,
    message.text,
  ]);
  if (inserted !== undefined) {
    return {
      id: inserted.id,
      delivered_at: inserted.delivered_at,
      queued: {
        sessionId: author.sessionId,
        organisationId: inserted.organisation_id,
        authorId: author.userId,
        clientMessageId: message.clientMessageId,
        sourceLanguage: inserted.source_language,
        text: message.text,
        createdAt: new Date(inserted.created_at).toISOString(),
      },
    };
  }
  const existing: StoredMessage[] = await dataSource.query(EXISTING_CHAT_MESSAGE_SQL, key);
  return existing[0] ?? null;
}
