import { chunkByLimits, codePoints } from './batch-chunks.js';
import type { ProviderHttpClient } from './provider-http-client.js';
import type { EngineRequest, TranslationEngine } from './translation-engine.js';

/** Google's ceilings for one synchronous translateText call. */
const MAX_SEGMENTS = 1_024;
const MAX_CODE_POINTS = 30_000;

export interface GoogleV3Settings {
  project: string;
  /** A region (glossaries are regional: a call using one must be made in its location). */
  location: string;
  /** OAuth access token of the service account, sent as a bearer token. */
  accessToken: string;
}

interface TranslateTextResponse {
  translations: Array<{ translatedText: string }>;
  glossaryTranslations?: Array<{ translatedText: string }>;
}

/**
 * Cloud Translation v3 `translateText`, the primary engine: a batch goes out as few calls as Google's limits
 * allow (1,024 segments and 30,000 code points each), all sent at once over the keep-alive pool; with a
 * glossary the glossary-applied translations are the answer.
 */
export class GoogleV3Engine implements TranslationEngine {
  readonly name = 'google-v3';

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly settings: GoogleV3Settings,
  ) {}

  async translate(request: EngineRequest): Promise<string[]> {
    const chunks = chunkByLimits(request.texts, MAX_SEGMENTS, MAX_CODE_POINTS, codePoints);
    const answers = await Promise.all(chunks.map((texts) => this.call(texts, request)));
    return answers.flat();
  }

  private async call(texts: string[], request: EngineRequest): Promise<string[]> {
    const { project, location, accessToken } = this.settings;
    const parent = `projects/${project}/locations/${location}`;
    const body = {
      contents: texts,
      targetLanguageCode: request.targetLanguage,
      mimeType: 'text/plain',
      ...(request.sourceLanguage === undefined ? {} : { sourceLanguageCode: request.sourceLanguage }),
      ...(request.glossary === undefined
        ? {}
        : { glossaryConfig: { glossary: `${parent}/glossaries/${request.glossary}` } }),
    };
    const response = await this.http.post(`/v3/${parent}:translateText`, JSON.stringify(body), {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
    });
    const answer = JSON.parse(response.body) as TranslateTextResponse;
    const translations = request.glossary === undefined ? answer.translations : answer.glossaryTranslations;
    return (translations ?? answer.translations).map((translation) => translation.translatedText);
  }
}
