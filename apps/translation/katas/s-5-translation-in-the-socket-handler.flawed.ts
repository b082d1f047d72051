import type { OnModuleDestroy } from '@nestjs/common';
import { queueEventsFromNow } from '@remedy/outbox';
import { Queue, type ConnectionOptions, type QueueEvents } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { ChatMessageDelivery } from '../src/chat/messages/chat-message-delivery.js';
import {
  ChatMessageDispatcher,
  type ChatAuthor,
  type ChatMessageInput,
  type ChatMessageReceipt,
} from '../src/chat/messages/chat-message-dispatcher.js';
import {
  CHAT_MESSAGES_QUEUE_NAME,
  chatMessageJob,
  type ChatMessageJob,
} from '../src/chat/messages/chat-message-queue.js';
import { storeChatMessage } from '../src/chat/messages/queueing-chat-message-dispatcher.js';

/** The longest a Node timer may wait (about 24.8 days): in effect, no timeout. */
const NO_TIMEOUT_MS = 2_147_483_647;

/*
 * polyglot-a:S-5, polyglot-b:C-4 — the design's message flow runs in the socket handler: receive, call the
 * Translation API for each language, save, broadcast, and only then is the handler done ("External API latency
 * directly blocks WebSocket response"; no timeout). InlineTranslatingChatMessageDispatcher takes
 * ChatMessageDispatcher's place in the real /chat gateway and does that with the service's own translation and
 * delivery, so the socket hears nothing more (no `pending`, no answer to its next command) until the provider
 * has answered every language.
 */
export class InlineTranslatingChatMessageDispatcher extends ChatMessageDispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: ChatMessageDelivery,
  ) {
    super();
  }

  async dispatch(author: ChatAuthor, message: ChatMessageInput): Promise<ChatMessageReceipt | null> {
    const stored = await storeChatMessage(this.dataSource, author, message);
    if (stored === null) return null;
    await this.delivery.deliver(stored.id, { timeoutMs: NO_TIMEOUT_MS });
    return { messageId: stored.id, clientMessageId: message.clientMessageId };
  }
}

/*
 * A cousin: the queue and the worker are there, but the handler waits for the job's result before it answers,
 * so the socket is as blocked as before, only one hop further from the provider.
 */
export class AwaitingJobChatMessageDispatcher extends ChatMessageDispatcher implements OnModuleDestroy {
  private readonly queue: Queue<ChatMessageJob>;
  private events?: Promise<QueueEvents>;

  constructor(
    private readonly dataSource: DataSource,
    connection: ConnectionOptions,
    prefix: string,
  ) {
    super();
    this.queue = new Queue<ChatMessageJob>(CHAT_MESSAGES_QUEUE_NAME, { connection, prefix });
  }

  async dispatch(author: ChatAuthor, message: ChatMessageInput): Promise<ChatMessageReceipt | null> {
    const stored = await storeChatMessage(this.dataSource, author, message);
    if (stored === null) return null;
    this.events ??= queueEventsFromNow(this.queue);
    const events = await this.events;
    const job = chatMessageJob(stored.id);
    const added = await this.queue.add(job.name, job.data, job.opts);
    await added.waitUntilFinished(events);
    return { messageId: stored.id, clientMessageId: message.clientMessageId };
  }

  async onModuleDestroy(): Promise<void> {
    await (await this.events)?.close();
    await this.queue.close();
  }
}
