import { ProviderBatcher, type BatchRequest } from '../src/translation/batching/provider-batcher.js';
import type {
  ProviderTranslation,
  ProviderTranslator,
} from '../src/translation/providers/provider-translator.js';

/*
 * polyglot-b:S-5 — the design translates each chat message on its own: "for each target language, call the
 * translation API with the message". One provider call per text per language, however many messages arrive
 * together; PerTextProviderBatcher takes ProviderBatcher's place in front of the real engines and does that.
 */
export class PerTextProviderBatcher extends ProviderBatcher {
  constructor(protected readonly provider: ProviderTranslator) {
    super();
  }

  get waiting(): number {
    return 0;
  }

  async translate(request: BatchRequest): Promise<ProviderTranslation> {
    const answers = await Promise.all(
      request.texts.map((text) => this.provider.translate({ ...request, texts: [text] })),
    );
    return { engine: answers[0]?.engine ?? '', texts: answers.map((answer) => answer.texts[0] ?? '') };
  }

  close(): void {}
}

/* A close cousin, put back into the remediated service. */

/** A window of 0: each request's texts go out in one call as they arrive, never meeting another request's. */
export class ZeroWindowProviderBatcher extends PerTextProviderBatcher {
  override translate(request: BatchRequest): Promise<ProviderTranslation> {
    const { organisationId: _organisation, ...engineRequest } = request;
    return this.provider.translate(engineRequest);
  }
}
