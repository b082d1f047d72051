import type { LoggerService } from '@nestjs/common';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  knownNamesOnlyHub,
  logsBeforeRefusingHub,
  queryStringTokenHub,
} from '../katas/i-1-token-in-query-string.flawed.js';
import { CHAT_HUB_FACTORY } from '../src/chat/chat-hub.js';
import { ApiClient } from './support/api-client.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { startTestApp } from './support/start-test-app.js';

/** The query parameters a client might carry its token under: two names every deny-list has, one it lacks. */
const PARAMETERS = ['token', 'access_token', 'key'] as const;
const REFUSED_FOR_URL = new Set(['token-in-url', 'query-string']);

type Run = 'flawed' | 'remediated' | 'known names only' | 'logs before refusing';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: CHAT_HUB_FACTORY, useValue: queryStringTokenHub }],
  remediated: [],
  'known names only': [{ provide: CHAT_HUB_FACTORY, useValue: knownNamesOnlyHub }],
  'logs before refusing': [{ provide: CHAT_HUB_FACTORY, useValue: logsBeforeRefusingHub }],
};

/** Every line the app logs, at any level, so a token anywhere in a log line is found. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]): void => this.record(parts);
  error = (...parts: unknown[]): void => this.record(parts);
  warn = (...parts: unknown[]): void => this.record(parts);
  debug = (...parts: unknown[]): void => this.record(parts);
  verbose = (...parts: unknown[]): void => this.record(parts);
  fatal = (...parts: unknown[]): void => this.record(parts);
  private record(parts: unknown[]): void {
    this.lines.push(parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' '));
  }
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // A short sign-in deadline: a socket the hub neither refuses nor signs in is closed (auth-timeout) quickly.
  const app = await startTestApp(ctx, { CHAT_AUTH_TIMEOUT_MS: '300' }, { plugs: PLUGS[run] });
  const logs = new RecordingLogger();
  app.app.useLogger(logs);
  try {
    const api = new ApiClient(app.url);
    const member = await api.signup('i1_member@example.com');
    const wsUrl = app.url.replace(/^http/, 'ws');
    const admitted: string[] = [];
    for (const parameter of PARAMETERS) {
      const client = await ChatTestClient.open(wsUrl, `?${parameter}=${member.accessToken}`);
      // Each socket ends one of three ways, none timed by the test: refused for its URL, signed in from its URL,
      // or closed when the sign-in deadline passes without a first message.
      await client.until(
        'refusal, sign-in or auth-timeout',
        () => client.closeCode !== undefined || client.has('authenticated'),
      );
      await client.close();
      const refused = client.errorCodes().some((code) => REFUSED_FOR_URL.has(code));
      if (!refused) admitted.push(parameter);
    }
    const linesWithToken = logs.lines.filter((line) => line.includes(member.accessToken)).length;
    ctx.log(
      `${run}: admitted ?${admitted.join(', ?') || '(none)'}, ${linesWithToken} log lines with the token`,
    );
    return {
      value: admitted.length + linesWithToken,
      details: {
        'sockets opened with the token in the URL': PARAMETERS.length,
        'of them not refused for their URL': admitted.length,
        'log lines carrying the token': linesWithToken,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'polyglot-b:I-1',
  title: 'Access token in the WebSocket URL: admitted, and written to the access log',
  explanation:
    'The design sends the JWT as `?token=` on the WebSocket upgrade, so it lands in proxy and access logs, browser ' +
    'history and developer tools. The remedy: /chat takes no URL parameters at all; any query string is refused with ' +
    '1008 before a frame is read and the URL is never logged, and the token travels in the first message ' +
    `(\`{"type":"auth","token":…}\`). Measured through the real gateway: ${PARAMETERS.length} sockets opened with a ` +
    `valid token as ?${PARAMETERS.join('=, ?')}=, counting those not refused for their URL and the log lines (every ` +
    'level, every logger of the app) that carry the token.',
  fix: ['src/chat/chat.gateway.ts', '../../libs/realtime/src/token-in-url.ts'],
  difficulty: 1,
  hints: [
    'Where does a URL end up besides the server that answers it?',
    'Send the credential in the first message and refuse a socket that brings one in its URL.',
    'A list of forbidden parameter names is always one name short: refuse every query string.',
    'The technique: first-message authentication with query-string refusal (close code 1008).',
  ],
  seam: '/chat gateway hub factory (CHAT_HUB_FACTORY, Nest provider) ← katas/i-1-token-in-query-string.flawed.ts queryStringTokenHub',
  flawsPutBack: {
    'known names only':
      'knownNamesOnlyHub: refuses ?token= and ?access_token= but admits ?key=, and logs the URL',
    'logs before refusing':
      'logsBeforeRefusingHub: refuses every URL credential, but the access log writes it first',
  },
  metric: {
    name: `URL-token sockets admitted (of ${PARAMETERS.length}) + log lines carrying the token`,
    unit: 'leaks',
    better: 'lower',
  },
  measure,
  flawed: (leaks) => leaks >= PARAMETERS.length,
  remediated: (leaks) => leaks === 0,
  timeoutMs: 60_000,
});
