import type { IncomingMessage } from 'node:http';

export const DEFAULT_TOKEN_QUERY_PARAMETERS = ['token', 'access_token', 'auth', 'jwt'] as const;

/**
 * True when the upgrade request carries a credential in its query string. URLs end up in proxy logs,
 * browser history and Referer headers, so such a socket is refused; the URL itself is never logged.
 */
export function hasTokenInUrl(
  request: Pick<IncomingMessage, 'url'> | undefined,
  parameters: readonly string[] = DEFAULT_TOKEN_QUERY_PARAMETERS,
): boolean {
  const url = request?.url;
  if (!url || !url.includes('?')) return false;
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  return parameters.some((name) => query.has(name));
}
