/** What a translation is for: it sets how long the cached translation is kept. */
export const CONTENT_KINDS = ['chat', 'caption', 'document'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** The glossary a translation applied: a new version makes every earlier translation a miss. */
export interface GlossaryRef {
  id: string;
  version: number;
}

/** Everything besides the text that decides a translation's wording. */
export interface CacheScope {
  organisationId: string;
  sourceLanguage: string;
  targetLanguage: string;
  glossary: GlossaryRef | undefined;
  kind: ContentKind;
}

/**
 * Translations already made (polyglot-a:M-1, polyglot-b:S-3). The seam a proof plugs the review's cache into;
 * the service's is RedisTranslationCache.
 */
export abstract class TranslationCache {
  /** One answer per text, in order: the cached translation or undefined. */
  abstract lookup(scope: CacheScope, texts: readonly string[]): Promise<Array<string | undefined>>;

  abstract store(scope: CacheScope, texts: readonly string[], translations: readonly string[]): Promise<void>;
}
