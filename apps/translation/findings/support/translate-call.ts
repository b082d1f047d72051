import { ApiClient } from './api-client.js';

export interface TranslateAnswer {
  status: number;
  translations: Array<{ text: string; source: string }>;
}

/** POST /translations as a signed-in member: one batch, en → `targetLanguage`. */
export async function translateCall(
  api: ApiClient,
  token: string,
  texts: string[],
  { targetLanguage = 'de', kind = 'chat' }: { targetLanguage?: string; kind?: string } = {},
): Promise<TranslateAnswer> {
  const result = await api.call<{ translations?: TranslateAnswer['translations'] }>(
    'POST',
    '/translations',
    { texts, sourceLanguage: 'en', targetLanguage, kind },
    token,
  );
  return { status: result.status, translations: result.body.translations ?? [] };
}
