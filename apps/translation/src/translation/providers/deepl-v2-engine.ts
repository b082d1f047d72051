import { chunkByLimits } from './batch-chunks.js';
import type { ProviderHttpClient } from './provider-http-client.js';
import type { EngineRequest, TranslationEngine } from './translation-engine.js';

/** DeepL's ceilings for one call: 50 texts and a 128 KiB body; 1 KiB is kept for the fields around the texts. */
const MAX_TEXTS = 50;
const MAX_TEXT_BYTES = 127 * 1024;

export interface DeeplV2Settings {
  authKey: string;
}

interface DeeplResponse {
  translations: Array<{ text: string }>;
}

/**
 * DeepL v2 `/v2/translate`, the fallback engine: JSON batches within DeepL's limits, all sent at once over the
 * keep-alive pool. DeepL wants upper-case language codes and a source language whenever a glossary is used.
 */
export class DeeplV2Engine implements TranslationEngine {
  readonly name = 'deepl-v2';

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly settings: DeeplV2Settings,
  ) {}

  async translate(request: EngineRequest): Promise<string[]> {
    const chunks = chunkByLimits(
      request.texts,
      MAX_TEXTS,
      MAX_TEXT_BYTES,
      (text) => Buffer.byteLength(JSON.stringify(text)) + 1,
    );
    const answers = await Promise.all(chunks.map((texts) => this.call(texts, request)));
    return answers.flat();
  }

  private async call(texts: string[], request: EngineRequest): Promise<string[]> {
    const body = {
      text: texts,
      target_lang: request.targetLanguage.toUpperCase(),
      ...(request.sourceLanguage === undefined ? {} : { source_lang: request.sourceLanguage.toUpperCase() }),
      ...(request.glossary === undefined ? {} : { glossary_id: request.glossary }),
    };
    const response = await this.http.post('/v2/translate', JSON.stringify(body), {
      authorization: `DeepL-Auth-Key ${this.settings.authKey}`,
      'content-type': 'application/json',
    });
    return (JSON.parse(response.body) as DeeplResponse).translations.map((translation) => translation.text);
  }
}
