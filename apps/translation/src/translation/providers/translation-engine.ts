/** One batch for one engine: texts in one source language into one target language. */
export interface EngineRequest {
  texts: string[];
  targetLanguage: string;
  sourceLanguage?: string;
  /** The engine's own name for the organisation's glossary (Google: resource name; DeepL: glossary id). */
  glossary?: string;
}

/**
 * A machine-translation engine: translates a batch, one answer per text in order. It splits the batch into
 * calls that fit the provider's limits itself; a failed call rejects with a `ProviderCallError`.
 */
export interface TranslationEngine {
  readonly name: string;
  translate(request: EngineRequest): Promise<string[]>;
}
