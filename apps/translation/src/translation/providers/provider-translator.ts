import type { EngineRequest } from './translation-engine.js';

/** A batch translated by one engine. */
export interface ProviderTranslation {
  texts: string[];
  engine: string;
}

/**
 * The Nest provider that gets a batch translated by the machine-translation engines: the seam where quota,
 * breaker and fallback live (polyglot-a:C-2, polyglot-b:I-2). It rejects with a `ProviderCallError` when no
 * engine could translate the batch.
 */
export abstract class ProviderTranslator {
  abstract translate(request: EngineRequest): Promise<ProviderTranslation>;
}
