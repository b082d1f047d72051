import { codePoints } from './fake-translation.js';
import type { ProviderAnswer, ProviderDialect, ProviderError, TranslateCall } from './provider-dialect.js';

/** Google's documented ceilings for one synchronous translateText call. */
export const GOOGLE_MAX_SEGMENTS = 1_024;
export const GOOGLE_MAX_CODE_POINTS = 30_000;

const ROUTE = /^\/v3\/projects\/([^/]+)\/locations\/([^/:]+):translateText$/;
const GLOSSARY = /^projects\/([^/]+)\/locations\/([^/]+)\/glossaries\/([^/]+)$/;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * Cloud Translation v3 `POST /v3/projects/{project}/locations/{location}:translateText`: JSON
 * `{ contents[], targetLanguageCode, sourceLanguageCode?, glossaryConfig?: { glossary } }`, a bearer token (or
 * `x-goog-api-key`), answers `{ translations[], glossaryTranslations[]? }` and errors as
 * `{ error: { code, message, status } }`.
 */
export const googleV3Dialect: ProviderDialect = {
  name: 'google-v3',

  isTranslateRoute: (request) => request.method === 'POST' && ROUTE.test(request.path),

  isAuthorized(request, apiKey) {
    return (
      request.headers.authorization === `Bearer ${apiKey}` || request.headers['x-goog-api-key'] === apiKey
    );
  },

  parse(request): TranslateCall | ProviderError {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return { kind: 'invalid', message: 'Invalid JSON payload received.' };
    }
    if (typeof body !== 'object' || body === null) {
      return { kind: 'invalid', message: 'Invalid JSON payload received.' };
    }
    const { contents, targetLanguageCode, sourceLanguageCode, glossaryConfig } = body as Record<
      string,
      unknown
    >;
    if (
      !Array.isArray(contents) ||
      contents.length === 0 ||
      contents.some((text) => typeof text !== 'string')
    ) {
      return { kind: 'invalid', message: 'Empty or malformed contents.' };
    }
    if (contents.length > GOOGLE_MAX_SEGMENTS) {
      return { kind: 'invalid', message: `Number of contents exceeds the limit of ${GOOGLE_MAX_SEGMENTS}.` };
    }
    const texts = contents as string[];
    if (texts.reduce((sum, text) => sum + codePoints(text), 0) > GOOGLE_MAX_CODE_POINTS) {
      return { kind: 'invalid', message: `Text too long: more than ${GOOGLE_MAX_CODE_POINTS} codepoints.` };
    }
    if (typeof targetLanguageCode !== 'string' || targetLanguageCode === '') {
      return { kind: 'invalid', message: 'Target language is empty.' };
    }
    const glossary = (glossaryConfig as { glossary?: unknown } | undefined)?.glossary;
    if (glossaryConfig !== undefined && typeof glossary !== 'string') {
      return { kind: 'invalid', message: 'glossaryConfig.glossary is required.' };
    }
    return {
      texts,
      targetLanguage: targetLanguageCode,
      ...(typeof sourceLanguageCode === 'string' && sourceLanguageCode !== ''
        ? { sourceLanguage: sourceLanguageCode }
        : {}),
      ...(typeof glossary === 'string' ? { glossary } : {}),
    };
  },

  glossaryProblem(request, call) {
    if (call.glossary === undefined) return undefined;
    const location = ROUTE.exec(request.path)?.[2];
    const glossaryLocation = GLOSSARY.exec(call.glossary)?.[2];
    if (glossaryLocation === undefined) {
      return { kind: 'invalid', message: `Invalid resource name: ${call.glossary}` };
    }
    // Glossaries are regional: the call must be made in the glossary's location, never `global`.
    if (glossaryLocation !== location) {
      return { kind: 'invalid', message: 'Glossary and request must be in the same location.' };
    }
    if (call.sourceLanguage === undefined) {
      return { kind: 'invalid', message: 'Source language is required when a glossary is used.' };
    }
    return undefined;
  },

  translated(call, translations, glossaryTranslations): ProviderAnswer {
    const detected = call.sourceLanguage === undefined ? { detectedLanguageCode: 'en' } : {};
    return {
      status: 200,
      body: {
        translations: translations.map((translatedText) => ({ translatedText, ...detected })),
        ...(glossaryTranslations === undefined
          ? {}
          : {
              glossaryTranslations: glossaryTranslations.map((translatedText) => ({
                translatedText,
                glossaryConfig: { glossary: call.glossary },
                ...detected,
              })),
            }),
      },
    };
  },

  error(error): ProviderAnswer {
    const [code, message] = codeAndMessage(error);
    return { status: code, body: { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } } };
  },
};

function codeAndMessage(error: ProviderError): [number, string] {
  switch (error.kind) {
    case 'unauthenticated':
      return [401, 'Request had invalid authentication credentials.'];
    case 'not-found':
      return [404, error.message];
    case 'invalid':
    case 'too-large':
      return [400, error.message];
    case 'rate-limited':
    case 'quota-exhausted':
      return [429, error.message];
    case 'server-error':
      return [
        error.status,
        error.status === 504 ? 'Deadline exceeded.' : 'The service is currently unavailable.',
      ];
  }
}
