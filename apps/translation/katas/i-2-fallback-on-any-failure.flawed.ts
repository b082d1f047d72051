import type { ProvidersConfig } from '../src/config.js';
import { buildEngines } from '../src/translation/providers/build-engines.js';
import {
  FAILURE_POLICY,
  ProviderCallError,
  type FailurePolicy,
} from '../src/translation/providers/provider-call-error.js';
import type { ProviderConnections } from '../src/translation/providers/provider-connections.js';
import {
  ProviderTranslator,
  type ProviderTranslation,
} from '../src/translation/providers/provider-translator.js';
import type { EngineRequest, TranslationEngine } from '../src/translation/providers/translation-engine.js';

/*
 * polyglot-b:I-2 — the design falls back to DeepL "when the Google API fails", without saying which failures
 * those are, and nothing counts how often it happens. Every failure, a single transient 5xx included, sends the
 * batch to the second engine (at its price and wording), and a primary that degrades shows nowhere until DeepL's
 * bill arrives. FallBackOnAnyFailureTranslator takes ProviderTranslator's place under the real Translator and route.
 */
export class FallBackOnAnyFailureTranslator extends ProviderTranslator {
  private readonly primary: TranslationEngine;
  private readonly fallback: TranslationEngine;

  constructor(config: ProvidersConfig, connections: ProviderConnections) {
    super();
    ({ primary: this.primary, fallback: this.fallback } = buildEngines(config, connections));
  }

  async translate(request: EngineRequest): Promise<ProviderTranslation> {
    try {
      return { texts: await this.primary.translate(request), engine: this.primary.name };
    } catch {
      return { texts: await this.fallback.translate(request), engine: this.fallback.name };
    }
  }
}

/* Close cousins, put back into the remediated service as its failure policy. */

/** The service's table, but a 429 is retried on the engine that sent it, as if it were transient. */
export const RETRY_RATE_LIMITS: FailurePolicy = {
  ...FAILURE_POLICY,
  isRetryable: (error) =>
    FAILURE_POLICY.isRetryable(error) ||
    (error instanceof ProviderCallError && error.failure === 'rate-limited'),
};

/** The service's table, but nothing is retried: one transient 5xx sends the batch to the fallback engine. */
export const NEVER_RETRY: FailurePolicy = { ...FAILURE_POLICY, isRetryable: () => false };
