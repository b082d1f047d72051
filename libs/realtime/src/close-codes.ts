/** WebSocket close codes (RFC 6455 §7.4 and the IANA registry) used by the hub, with the reason sent along. */
export const CLOSE_CODES = {
  /** Policy violation: bad or missing authentication, a token (or any query string where refused) in the URL. */
  policyViolation: 1008,
  /** Service restart: the server is draining; the client should reconnect (to another instance). */
  serviceRestart: 1012,
  /** Try again later: this instance is at its connection limit. */
  tryAgainLater: 1013,
  /** Private-use code: the socket's send queue overflowed because the client does not read fast enough. */
  tooSlow: 4008,
} as const;

export const CLOSE_REASONS = {
  tokenInUrl: 'token in URL refused: send it in the first message',
  queryString:
    'query string refused: this socket takes no URL parameters, credentials go in the first message',
  authTimeout: 'authentication timeout: the first message must authenticate',
  authFailed: 'authentication failed',
  connectionLimit: 'connection limit reached on this instance, retry later',
  draining: 'service restart, reconnect',
  tooSlow: 'too slow: the send buffer is full, reconnect',
} as const;
