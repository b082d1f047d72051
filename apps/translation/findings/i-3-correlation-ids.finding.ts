import { LOGGER, type DestinationStream, type PinoLogger } from '@remedy/observability';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  FirstRequestContextBatcher,
  requestIdOnlyLogger,
  uncorrelatedLogger,
} from '../katas/i-3-logger-without-context.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { ProviderBatcher } from '../src/translation/batching/provider-batcher.js';
import { TranslationMetrics } from '../src/translation/metrics/translation-metrics.js';
import { ProviderTranslator } from '../src/translation/providers/provider-translator.js';
import { ApiClient } from './support/api-client.js';
import { LogCapture, type LogLine } from './support/log-capture.js';
import { startTestApp } from './support/start-test-app.js';
import { startTranslationProviders } from './support/translation-providers.js';

const FLAWS = {
  'request ID only':
    'LOGGER ← requestIdOnlyLogger: lines carry the request ID but not the session bound to it',
  "batched call in the first request's context":
    'ProviderBatcher ← FirstRequestContextBatcher: a batched call logs in the context it was started from',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function loggerPlug(make: (serviceName: string, destination: DestinationStream) => PinoLogger) {
  return (destination: DestinationStream): ProviderPlug => ({
    provide: LOGGER,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => make(config.serviceName, destination),
  });
}

const PLUGS: Record<Run, (destination: DestinationStream) => ProviderPlug[]> = {
  flawed: (destination) => [loggerPlug(uncorrelatedLogger)(destination)],
  remediated: () => [],
  'request ID only': (destination) => [loggerPlug(requestIdOnlyLogger)(destination)],
  "batched call in the first request's context": () => [
    {
      provide: ProviderBatcher,
      inject: [APP_CONFIG, ProviderTranslator, TranslationMetrics],
      useFactory: (config: AppConfig, translator: ProviderTranslator, metrics: TranslationMetrics) =>
        new FirstRequestContextBatcher(
          translator,
          {
            windowMs: config.providers.batchWindowMs,
            maxCallsInFlight: config.providers.maxCallsInFlightPerPair,
          },
          metrics,
        ),
    },
  ],
};

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The IDs among `known` a line names, as a single ID or in a list (a batched call's). */
function named(line: LogLine, field: string, known: readonly string[]): string[] {
  const values = [line[field], line[`${field}s`]].flatMap((value) =>
    Array.isArray(value) ? (value as unknown[]) : [value],
  );
  return known.filter((id) => values.includes(id));
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const log = new LogCapture();
  const testApp = await startTestApp(
    ctx,
    {
      ...providers.env,
      LOG_LEVEL: 'info',
      // The failures are the proof's own: the breaker stays closed and a held call outlives the measurement.
      TRANSLATION_BREAKER_VOLUME: '1000',
      TRANSLATION_TIMEOUT_MS: '60000',
      // One call out per pair: the held first call keeps the other two texts in the batcher, so they ride
      // together in a call made from its callback, the path whose context this proof checks.
      TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR: '1',
    },
    { plugs: PLUGS[run](log), logDestination: log },
  );
  const requests = ['i3-first', 'i3-second', 'i3-third'];
  const sessions: string[] = [];
  let mark: number;
  try {
    const api = new ApiClient(testApp.url);
    const organiser = (await api.signup('i3_organiser@example.com')).accessToken;
    for (const requestId of requests) {
      const session = await api.expect<{ id: string }>(
        201,
        'POST',
        '/sessions',
        { title: `Session of ${requestId}`, sourceLanguage: 'en' },
        organiser,
      );
      sessions.push(session.id);
    }
    const translate = (i: number) =>
      api.call(
        'POST',
        '/translations',
        {
          texts: [`Text of ${requests[i]}`],
          sourceLanguage: 'en',
          targetLanguage: 'de',
          kind: 'chat',
          sessionId: sessions[i],
        },
        organiser,
        { 'x-request-id': requests[i] ?? '' },
      );
    const batcher = testApp.app.get(ProviderBatcher);
    mark = log.mark();
    // The first request's call is held at Google; the other two wait in the batcher and ride in the next call.
    providers.google.hold();
    const first = translate(0);
    await until(() => providers.google.held === 1, "the first request's call held by Google");
    const others = [translate(1), translate(2)];
    await until(() => batcher.waiting === 2, 'the second and third texts waiting in the batcher');
    // Each call meets a 503 on both tries at both engines: retry, fallback, retry, 503 to the caller.
    providers.google.failNext(503, 4);
    providers.deepl.failNext(503, 4);
    providers.google.release();
    await Promise.all([first, ...others]);
  } finally {
    await testApp.close();
    await providers.stop();
  }
  const lines = log.since(mark).lines;
  const sessionOf = (requestId: string) => sessions[requests.indexOf(requestId)] ?? '';
  // Which requests a line is about, known without its IDs: an engine line by the texts in its call (the first
  // request's call had one, the batched call two); any other line (the request line) is about one request.
  const correct = lines.filter((line) => {
    const requestIds = named(line, 'requestId', requests);
    const sessionIds = named(line, 'sessionId', sessions);
    const expected =
      line['segments'] === 1
        ? [requests[0] ?? '']
        : line['segments'] === 2
          ? requests.slice(1)
          : requestIds.length === 1
            ? requestIds
            : undefined;
    return (
      expected !== undefined && sameSet(requestIds, expected) && sameSet(sessionIds, expected.map(sessionOf))
    );
  }).length;
  const share = lines.length === 0 ? 0 : Math.round((correct * 1_000) / lines.length) / 10;
  ctx.log(`${run}: ${correct} of ${lines.length} lines name their requests and sessions`);
  return {
    value: share,
    details: {
      'log lines of the three requests': lines.length,
      'lines naming their request IDs and session IDs': correct,
      'engine lines of the batched call (two requests)': lines.filter((line) => line['segments'] === 2)
        .length,
    },
  };
}

export default defineFinding({
  id: 'polyglot-b:I-3',
  title: 'Log lines carry no request or session ID',
  explanation:
    'The design logs structured JSON, but no line says which request or session it belongs to, so the lines of ' +
    "one failing translation cannot be told from the thousands around them. Every request gets an ID (the caller's " +
    'x-request-id when well formed, else a UUID; echoed in the response), kept in AsyncLocalStorage by ' +
    'libs/observability with the session ID the translation route binds; the JSON logger adds them to every line, ' +
    'Nest’s included. A batched provider call serves several requests: it runs on behalf of all of them, its lines ' +
    'carrying requestIds and sessionIds lists (ADR 0057). Measured through HTTP on the real app: three ' +
    'translations, the last two batched into one call while the first is held at Google, every call meeting 503s ' +
    '(retry, fallback, retry, 503). The value is the share of their log lines that name exactly the requests and ' +
    'sessions they were written for.',
  fix: [
    '../../libs/observability/src/correlation/correlation-context.ts',
    '../../libs/observability/src/logging/pino-logger.factory.ts',
    'src/translation/translations.controller.ts',
    'src/translation/batching/micro-batching-provider-batcher.ts',
    'src/translation/providers/guarded-provider-translator.ts',
  ],
  difficulty: 2,
  hints: [
    'Pick one failing request: which of the log lines are its own?',
    'The ID has to reach code that never sees the request object: a logger, an engine client, a batch timer.',
    'A call made for several requests is made for each of them.',
    'The technique: request and session IDs in AsyncLocalStorage, added by the logger to every line.',
  ],
  seam: 'LOGGER (the JSON logger of libs/observability, under every line of the app) ← katas/i-3-logger-without-context.flawed.ts uncorrelatedLogger; one cousin replaces ProviderBatcher',
  flawsPutBack: FLAWS,
  metric: {
    name: 'log lines naming the request and session they were written for',
    unit: '%',
    better: 'higher',
  },
  measure,
  flawed: (share) => share <= 50,
  remediated: (share) => share === 100,
  timeoutMs: 60_000,
});
