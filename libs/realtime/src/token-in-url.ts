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

/**
 * True when the upgrade request has any query string. For a socket that takes no URL parameters this is
 * the stricter check: a credential can travel under any name (`?key=`, `?apikey=`, `?sig=`), so a list of
 * known names is always one name short, while refusing every query string leaves no name to slip through.
 */
export function hasQueryString(request: Pick<IncomingMessage, 'url'> | undefined): boolean {
  const url = request?.url ?? '';
  const start = url.indexOf('?');
  return start !== -1 && start < url.length - 1;
}
