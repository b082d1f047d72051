import type { IncomingHttpHeaders } from 'node:http';

/** One translate call as both dialects ask it: a batch of texts into one language. */
export interface TranslateCall {
  texts: string[];
  targetLanguage: string;
  sourceLanguage?: string;
  /** The provider's name of the glossary to apply (Google's resource name, DeepL's glossary_id). */
  glossary?: string;
}

/** The errors a provider answers, in the dialect's own status and body. */
export type ProviderError =
  | { kind: 'unauthenticated' }
  | { kind: 'not-found'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'too-large'; message: string }
  | { kind: 'rate-limited'; message: string }
  | { kind: 'quota-exhausted'; message: string }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 };

export interface ProviderAnswer {
  status: number;
  body: unknown;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What distinguishes Google v3 from DeepL v2: the route, auth, request shape, limits and answer shapes. */
export interface ProviderDialect {
  readonly name: 'google-v3' | 'deepl-v2';
  /** Whether the request reaches the translate endpoint (anything else is answered `not-found`). */
  isTranslateRoute(request: ReceivedRequest): boolean;
  isAuthorized(request: ReceivedRequest, apiKey: string): boolean;
  /** The call, or the 4xx the real API gives for a malformed or oversized one. */
  parse(request: ReceivedRequest): TranslateCall | ProviderError;
  /** Checks the glossary name against the route (Google wants it in the call's own location). */
  glossaryProblem(request: ReceivedRequest, call: TranslateCall): ProviderError | undefined;
  translated(call: TranslateCall, translations: string[], glossaryTranslations?: string[]): ProviderAnswer;
  error(error: ProviderError): ProviderAnswer;
}
