import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { RedisRoomPublisher } from '@remedy/realtime';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../app-config.module.js';
import type { AppConfig } from '../../config.js';
import { SessionLanguages } from '../../participants/session-languages.js';
import { Translator } from '../../translation/translator.service.js';
import { chatChannelPrefix, sessionLanguageRoom } from '../chat-hub.js';
import type { QueuedChatMessage } from './chat-message-queue.js';
import { CHAT_MESSAGE_FOR_DELIVERY_SQL, MARK_CHAT_MESSAGE_DELIVERED_SQL } from './chat-messages.sql.js';

interface MessageRow {
  id: string;
  session_id: string;
  author_id: string;
  client_message_id: string;
  source_language: string;
  text: string;
  created_at: Date | string;
  delivered_at: Date | null;
  organisation_id: string;
}

/** What a socket receives for a message, in the language it reads the session in. */
export interface ChatMessageFrame {
  type: 'message';
  messageId: string;
  clientMessageId: string;
  sessionId: string;
  authorId: string;
  sourceLanguage: string;
  language: string;
  text: string;
  /** False for the author's own language, and when the translation timed out or failed (then `untranslated`). */
  translated: boolean;
  untranslated?: 'timeout' | 'unavailable';
  sentAt: string;
}

export interface DeliveryOptions {
  /** Per language: past it the original goes out marked untranslated (the translation may still finish). */
  timeoutMs: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Translates a stored message once per distinct language of the session's participants (never per participant;
 * polyglot-a:S-3, polyglot-b:C-1: the languages come from the cached map, so a warm session reads no participant
 * rows however many it has), all languages at once through the Translator (so the micro-batcher groups them with other messages'), and
 * publishes one frame per language to that language's room through Redis, where every instance delivers it to
 * its sockets. A language whose translation times out or fails gets the original, marked: a message is never
 * held back by its translation. Marks the message delivered last, so a crash before that delivers it again
 * (at least once; clients dedupe by messageId).
 */
@Injectable()
export class ChatMessageDelivery {
  private readonly logger = new Logger('ChatMessageDelivery');
  private readonly rooms: RedisRoomPublisher;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(Translator) private readonly translator: Translator,
    @Inject(SessionLanguages) private readonly sessionLanguages: SessionLanguages,
  ) {
    this.rooms = new RedisRoomPublisher(redis.publisher, chatChannelPrefix(config));
  }

  /**
   * Delivers the message unless it is gone or already delivered; returns the languages it went out in. `carried`
   * is the message as the store that inserted it enqueued it, for a first attempt only: then the row is not read
   * (ADR 0089). Without it (a resend's or the sweep's job, a job of an earlier release, a retry or a job taken over
   * from a stalled worker, which may have delivered and marked it already) the row is read, and its delivered
   * mark keeps a delivered message from going out again.
   */
  async deliver(messageId: string, options: DeliveryOptions, carried?: QueuedChatMessage): Promise<string[]> {
    const message = carried === undefined ? await this.undelivered(messageId) : rowOf(messageId, carried);
    if (message === undefined) return [];
    const languages = await this.sessionLanguages.of(message.session_id);
    const frames = await Promise.all(
      languages.map(({ language }) => this.frameIn(message, language, options)),
    );
    await this.publish(message.session_id, frames);
    await this.dataSource.query(MARK_CHAT_MESSAGE_DELIVERED_SQL, [message.id]);
    return frames.map((frame) => frame.language);
  }

  private async undelivered(messageId: string): Promise<MessageRow | undefined> {
    const [row]: MessageRow[] = await this.dataSource.query(CHAT_MESSAGE_FOR_DELIVERY_SQL, [messageId]);
    return row === undefined || row.delivered_at !== null ? undefined : row;
  }

  /**
   * polyglot-a:S-1: one publish per language room through Redis, in one round trip; every instance subscribed to a
   * room hands the frame to its own sockets, so no process loops over a whole session's sockets.
   */
  protected async publish(sessionId: string, frames: readonly ChatMessageFrame[]): Promise<void> {
    await this.rooms.publishMany(
      frames.map((frame) => ({
        room: sessionLanguageRoom(sessionId, frame.language),
        payload: JSON.stringify(frame),
      })),
    );
  }

  private async frameIn(
    message: MessageRow,
    language: string,
    options: DeliveryOptions,
  ): Promise<ChatMessageFrame> {
    const frame: ChatMessageFrame = {
      type: 'message',
      messageId: message.id,
      clientMessageId: message.client_message_id,
      sessionId: message.session_id,
      authorId: message.author_id,
      sourceLanguage: message.source_language,
      language,
      text: message.text,
      translated: false,
      sentAt: new Date(message.created_at).toISOString(),
    };
    if (language === message.source_language) return frame;
    const outcome = await this.translate(message, language, options.timeoutMs);
    return 'text' in outcome
      ? { ...frame, text: outcome.text, translated: true }
      : { ...frame, untranslated: outcome.untranslated };
  }

  private async translate(
    message: MessageRow,
    targetLanguage: string,
    timeoutMs: number,
  ): Promise<{ text: string } | { untranslated: 'timeout' | 'unavailable' }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    const translation = this.translator.translate({
      organisationId: message.organisation_id,
      sourceLanguage: message.source_language,
      targetLanguage,
      texts: [message.text],
      kind: 'chat',
      sessionId: message.session_id,
      messageId: message.id,
    });
    try {
      const result = await Promise.race([translation, timeout]);
      if (result === TIMED_OUT) {
        // The translation goes on (and, when it lands, fills the cache for a resend); nobody waits for it.
        translation.catch(() => undefined);
        return { untranslated: 'timeout' };
      }
      const text = result[0]?.text;
      return text === undefined ? { untranslated: 'unavailable' } : { text };
    } catch (error) {
      this.logger.warn(`message ${message.id} into ${targetLanguage}: ${String(error)}`);
      return { untranslated: 'unavailable' };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A carried message in the shape of its row, not yet delivered (the store has just inserted it). */
function rowOf(messageId: string, message: QueuedChatMessage): MessageRow {
  return {
    id: messageId,
    session_id: message.sessionId,
    author_id: message.authorId,
    client_message_id: message.clientMessageId,
    source_language: message.sourceLanguage,
    text: message.text,
    created_at: message.createdAt,
    delivered_at: null,
    organisation_id: message.organisationId,
  };
}
