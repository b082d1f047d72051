import { Inject, Injectable } from '@nestjs/common';
import { TranslationHistory } from '../history/translation-history.js';
import { TranslationCache, type CacheScope, type ContentKind } from './cache/translation-cache.js';
import { PairGlossaries } from '../glossaries/pair-glossaries.js';
import { providerGlossaryName } from './glossary-of-pair.js';
import { ProviderBatcher } from './batching/provider-batcher.js';
import { TranslationMetrics } from './metrics/translation-metrics.js';

export interface TranslateRequest {
  organisationId: string;
  sourceLanguage: string;
  targetLanguage: string;
  texts: string[];
  kind: ContentKind;
  /** The session the texts belong to: their translations join its history. */
  sessionId?: string;
  /** The chat message the texts are: its history rows name it, which is what feedback on it links to. */
  messageId?: string;
}

export interface TranslatedText {
  text: string;
  /** Who answered: the cache or the engine that translated it. */
  source: string;
}

/**
 * Translates a batch for one organisation and language pair: the pair's glossary from its cache (PairGlossaries,
 * ADR 0088), cached translations first (keyed by the pair, organisation and glossary version), the rest (each
 * distinct text once) through the batcher, which sends them with concurrent requests' texts for the same pair in
 * one engine call; the answers are cached. Every answer joins the translation history. Each request's duration
 * goes to TranslationMetrics, answered or failed (polyglot-b:M-4).
 */
@Injectable()
export class Translator {
  constructor(
    @Inject(PairGlossaries) private readonly glossaries: PairGlossaries,
    @Inject(TranslationCache) private readonly cache: TranslationCache,
    @Inject(ProviderBatcher) private readonly providers: ProviderBatcher,
    @Inject(TranslationHistory) private readonly history: TranslationHistory,
    @Inject(TranslationMetrics) private readonly metrics: TranslationMetrics,
  ) {}

  async translate(request: TranslateRequest): Promise<TranslatedText[]> {
    const started = performance.now();
    try {
      const results = await this.translateTimed(request);
      this.metrics.requestCompleted(request.kind, 'ok', (performance.now() - started) / 1_000);
      return results;
    } catch (error) {
      this.metrics.requestCompleted(request.kind, 'failed', (performance.now() - started) / 1_000);
      throw error;
    }
  }

  private async translateTimed(request: TranslateRequest): Promise<TranslatedText[]> {
    const glossary = await this.glossaries.of(request);
    const scope: CacheScope = { ...request, glossary };
    const cached = await this.cache.lookup(scope, request.texts);
    const missing = [...new Set(request.texts.filter((_, i) => cached[i] === undefined))];
    const fresh = new Map<string, TranslatedText>();
    if (missing.length > 0) {
      const translated = await this.providers.translate({
        organisationId: request.organisationId,
        texts: missing,
        sourceLanguage: request.sourceLanguage,
        targetLanguage: request.targetLanguage,
        ...(glossary === undefined ? {} : { glossary: providerGlossaryName(glossary) }),
      });
      await this.cache.store(scope, missing, translated.texts);
      missing.forEach((text, i) =>
        fresh.set(text, { text: translated.texts[i] ?? '', source: translated.engine }),
      );
    }
    const results = request.texts.map((text, i) => {
      const hit = cached[i];
      return hit === undefined ? (fresh.get(text) as TranslatedText) : { text: hit, source: 'cache' };
    });
    await this.history.record({
      organisationId: request.organisationId,
      ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
      ...(request.messageId === undefined ? {} : { messageId: request.messageId }),
      sourceLanguage: request.sourceLanguage,
      targetLanguage: request.targetLanguage,
      entries: results.map((result, i) => ({
        sourceText: request.texts[i] ?? '',
        translatedText: result.text,
        engine: result.source,
      })),
    });
    return results;
  }
}
