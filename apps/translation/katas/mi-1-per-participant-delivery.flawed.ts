import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { ProviderPlug } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../src/app-config.module.js';
import { ChatMessageDelivery, type ChatMessageFrame } from '../src/chat/messages/chat-message-delivery.js';
import {
  CHAT_MESSAGE_FOR_DELIVERY_SQL,
  MARK_CHAT_MESSAGE_DELIVERED_SQL,
} from '../src/chat/messages/chat-messages.sql.js';
import type { AppConfig } from '../src/config.js';
import { SessionLanguages } from '../src/participants/session-languages.js';
import { ProviderBatcher } from '../src/translation/batching/provider-batcher.js';
import { ProviderTranslator } from '../src/translation/providers/provider-translator.js';
import { Translator } from '../src/translation/translator.service.js';
import { PerTextProviderBatcher } from './s-5-call-per-text.flawed.js';

interface MessageRow {
  id: string;
  session_id: string;
  author_id: string;
  client_message_id: string;
  source_language: string;
  text: string;
  created_at: Date;
  delivered_at: Date | null;
  organisation_id: string;
}

/*
 * polyglot-a:MI-1, polyglot-b:M-5 — the per-participant design the small-sessions bench measures the service
 * against, as both reviews read "translate into each participant's language":
 *
 *   for participant in session.participants:
 *       target_lang = db.query(Participant).filter_by(id=participant.id).first().language
 *       translated = translate_api(message.text, target_lang)
 *       send(participant, translated)
 *
 * For every message the participant list and one lookup per participant (polyglot-a:S-3), then one translation
 * per participant whose language is not the author's, each its own provider call (polyglot-b:S-5: ProviderBatcher
 * ← PerTextProviderBatcher, see perParticipantDeliveryPlugs). The participants are served at once rather than one
 * after the other, the kindest reading of the loop: a message then waits for one provider call, not one per
 * participant. The translations still go through the service's Translator (glossary, cache, history), and the
 * frames through its language rooms, one per language, so only the lookups and the calls differ from the service.
 * A failed translation goes out untranslated, as the service's does.
 */
@Injectable()
export class PerParticipantChatMessageDelivery extends ChatMessageDelivery {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DataSource) private readonly database: DataSource,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(Translator) private readonly perParticipant: Translator,
    @Inject(SessionLanguages) languages: SessionLanguages,
  ) {
    super(config, database, redis, perParticipant, languages);
  }

  override async deliver(messageId: string): Promise<string[]> {
    const [message]: MessageRow[] = await this.database.query(CHAT_MESSAGE_FOR_DELIVERY_SQL, [messageId]);
    if (message === undefined || message.delivered_at !== null) return [];
    const participants: Array<{ user_id: string }> = await this.database.query(
      'SELECT user_id FROM participants WHERE session_id = $1',
      [message.session_id],
    );
    const frames = await Promise.all(
      participants.map((participant) => this.frameFor(message, participant.user_id)),
    );
    const byLanguage = new Map<string, ChatMessageFrame>();
    for (const frame of frames) if (!byLanguage.has(frame.language)) byLanguage.set(frame.language, frame);
    await this.publish(message.session_id, [...byLanguage.values()]);
    await this.database.query(MARK_CHAT_MESSAGE_DELIVERED_SQL, [message.id]);
    return [...byLanguage.keys()];
  }

  private async frameFor(message: MessageRow, userId: string): Promise<ChatMessageFrame> {
    const [participant]: Array<{ language: string }> = await this.database.query(
      'SELECT language FROM participants WHERE session_id = $1 AND user_id = $2',
      [message.session_id, userId],
    );
    const language = participant?.language ?? message.source_language;
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
    try {
      const [answer] = await this.perParticipant.translate({
        organisationId: message.organisation_id,
        sourceLanguage: message.source_language,
        targetLanguage: language,
        texts: [message.text],
        kind: 'chat',
        sessionId: message.session_id,
        messageId: message.id,
      });
      return answer === undefined
        ? { ...frame, untranslated: 'unavailable' }
        : { ...frame, text: answer.text, translated: true };
    } catch {
      return { ...frame, untranslated: 'unavailable' };
    }
  }
}

/** The worker's plugs for the per-participant design: the delivery above, each text its own provider call. */
export function perParticipantDeliveryPlugs(): ProviderPlug[] {
  return [
    { provide: ChatMessageDelivery, useClass: PerParticipantChatMessageDelivery },
    {
      provide: ProviderBatcher,
      inject: [ProviderTranslator],
      useFactory: (provider: ProviderTranslator) => new PerTextProviderBatcher(provider),
    },
  ];
}
