import type { ProviderTranslation } from '../providers/provider-translator.js';
import type { EngineRequest } from '../providers/translation-engine.js';

/** Texts one organisation needs translated for one pair and glossary version. */
export interface BatchRequest extends EngineRequest {
  organisationId: string;
}

/**
 * The seam between the Translator and the engines (polyglot-b:S-5): it decides how the texts of concurrent
 * requests become provider calls. `waiting` is how many texts it holds that no provider call carries yet.
 */
export abstract class ProviderBatcher {
  abstract translate(request: BatchRequest): Promise<ProviderTranslation>;
  abstract get waiting(): number;
  abstract close(): void;
}
