import type {
  ProviderAnswer,
  ProviderDialect,
  ProviderError,
  ReceivedRequest,
  TranslateCall,
} from './provider-dialect.js';

/** DeepL's documented ceilings for one `/v2/translate` call. */
export const DEEPL_MAX_TEXTS = 50;
export const DEEPL_MAX_BODY_BYTES = 128 * 1024;

/**
 * DeepL v2 `POST /v2/translate`: form-encoded (`text` repeated) or JSON (`text[]`) with `target_lang`,
 * `source_lang?` and `glossary_id?`, authorised by `Authorization: DeepL-Auth-Key <key>`; answers
 * `{ translations: [{ detected_source_language, text }] }` and errors as `{ message }`, with DeepL's statuses:
 * 403 bad key, 413 body over 128 KiB, 429 too many requests, 456 quota exceeded.
 */
export const deeplV2Dialect: ProviderDialect = {
  name: 'deepl-v2',

  isTranslateRoute: (request) => request.method === 'POST' && request.path === '/v2/translate',

  isAuthorized: (request, apiKey) => request.headers.authorization === `DeepL-Auth-Key ${apiKey}`,

  parse(request): TranslateCall | ProviderError {
    if (request.body.length > DEEPL_MAX_BODY_BYTES) {
      return { kind: 'too-large', message: 'Request Entity Too Large' };
    }
    const fields = fieldsOf(request);
    if (fields === undefined) return { kind: 'invalid', message: 'Bad request. Reason: malformed body.' };
    const { texts, targetLanguage, sourceLanguage, glossary } = fields;
    if (texts.length === 0) return { kind: 'invalid', message: "Parameter 'text' not specified." };
    if (texts.length > DEEPL_MAX_TEXTS) {
      return { kind: 'invalid', message: `Too many texts: at most ${DEEPL_MAX_TEXTS} per request.` };
    }
    if (targetLanguage === undefined || targetLanguage === '') {
      return { kind: 'invalid', message: "Parameter 'target_lang' not specified." };
    }
    return {
      texts,
      targetLanguage,
      ...(sourceLanguage === undefined || sourceLanguage === '' ? {} : { sourceLanguage }),
      ...(glossary === undefined || glossary === '' ? {} : { glossary }),
    };
  },

  glossaryProblem(_request, call) {
    if (call.glossary !== undefined && call.sourceLanguage === undefined) {
      return { kind: 'invalid', message: 'Use of a glossary requires the source_lang parameter to be set.' };
    }
    return undefined;
  },

  translated(call, translations, glossaryTranslations): ProviderAnswer {
    const detected = (call.sourceLanguage ?? 'EN').toUpperCase();
    // DeepL has one translation per text, with the glossary (when given) already applied.
    const texts = glossaryTranslations ?? translations;
    return {
      status: 200,
      body: { translations: texts.map((text) => ({ detected_source_language: detected, text })) },
    };
  },

  error(error): ProviderAnswer {
    switch (error.kind) {
      case 'unauthenticated':
        return { status: 403, body: { message: 'Authorization failure, check auth_key' } };
      case 'not-found':
        return { status: 404, body: { message: error.message } };
      case 'invalid':
        return { status: 400, body: { message: error.message } };
      case 'too-large':
        return { status: 413, body: { message: error.message } };
      case 'rate-limited':
        return { status: 429, body: { message: 'Too many requests' } };
      case 'quota-exhausted':
        return { status: 456, body: { message: 'Quota exceeded' } };
      case 'server-error':
        return { status: error.status, body: { message: 'Internal server error' } };
    }
  },
};

interface DeeplFields {
  texts: string[];
  targetLanguage?: string;
  sourceLanguage?: string;
  glossary?: string;
}

function fieldsOf(request: ReceivedRequest): DeeplFields | undefined {
  const raw = request.body.toString('utf8');
  if (String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null) return undefined;
    const { text, target_lang, source_lang, glossary_id } = body as Record<string, unknown>;
    if (text !== undefined && (!Array.isArray(text) || text.some((t) => typeof t !== 'string')))
      return undefined;
    return {
      texts: (text as string[] | undefined) ?? [],
      ...optionalString('targetLanguage', target_lang),
      ...optionalString('sourceLanguage', source_lang),
      ...optionalString('glossary', glossary_id),
    };
  }
  const form = new URLSearchParams(raw);
  return {
    texts: form.getAll('text'),
    ...optionalString('targetLanguage', form.get('target_lang')),
    ...optionalString('sourceLanguage', form.get('source_lang')),
    ...optionalString('glossary', form.get('glossary_id')),
  };
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
