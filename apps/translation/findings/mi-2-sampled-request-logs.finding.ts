import { HttpAdapterHost } from '@nestjs/core';
import { LOGGER, RequestLog, type PinoLogger } from '@remedy/observability';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  FullRequestResponseLog,
  SampledRequestLogWithBodies,
  SampleEveryStatusRequestLog,
} from '../katas/mi-2-full-request-log.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig, ConfigValues } from '../src/config.js';
import { ApiClient } from './support/api-client.js';
import { LogCapture } from './support/log-capture.js';
import { runConcurrently } from './support/run-concurrently.js';
import { startTestApp } from './support/start-test-app.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Translations that succeed at once, that fail on both engines (503), and that the provider holds (slow). */
const ORDINARY = 200;
const FAILING = 4;
const SLOW = 2;
const TRANSLATIONS = ORDINARY + FAILING + SLOW;
/** The proof's slow threshold; held requests are held twice as long, so they are slow by construction. */
const SLOW_MS = 1_000;
/** Every text carries it: a log line containing it carries a user's words. */
const USER_TEXT = 'confidential-mi2';
/** A request or slow request missing from the log, or a line with user text, counts as this many KB. */
const INCIDENT_KB = 1_000;

const FLAWS = {
  'every request logged': 'LOG_REQUEST_SAMPLE_RATIO=1: one line (without bodies) for every request',
  'sampling drops errors too':
    'RequestLog ← SampleEveryStatusRequestLog: failed and slow requests are kept only when their ID is in the sample',
  'bodies in sampled lines':
    'RequestLog ← SampledRequestLogWithBodies: the service’s choice of requests, each line with the request body',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function requestLogPlug(make: (logger: PinoLogger, config: AppConfig) => RequestLog): ProviderPlug {
  return { provide: RequestLog, inject: [LOGGER, APP_CONFIG], useFactory: make };
}

const settingsOf = (config: AppConfig) => ({
  sampleRatio: config.observability.requestSampleRatio,
  slowMs: config.observability.slowRequestMs,
});

const RUNS: Record<Run, { plugs: ProviderPlug[]; env?: ConfigValues }> = {
  flawed: {
    plugs: [
      {
        provide: RequestLog,
        inject: [LOGGER, HttpAdapterHost],
        useFactory: (logger: PinoLogger, host: HttpAdapterHost) => new FullRequestResponseLog(logger, host),
      },
    ],
  },
  remediated: { plugs: [] },
  'every request logged': { plugs: [], env: { LOG_REQUEST_SAMPLE_RATIO: '1' } },
  'sampling drops errors too': {
    plugs: [requestLogPlug((logger, config) => new SampleEveryStatusRequestLog(logger, settingsOf(config)))],
  },
  'bodies in sampled lines': {
    plugs: [requestLogPlug((logger, config) => new SampledRequestLogWithBodies(logger, settingsOf(config)))],
  },
};

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const log = new LogCapture();
  const { plugs, env = {} } = RUNS[run];
  const testApp = await startTestApp(
    ctx,
    {
      ...providers.env,
      LOG_LEVEL: 'info',
      LOG_SLOW_REQUEST_MS: String(SLOW_MS),
      // The failures are the proof's own: the breaker stays closed so that each one takes the same path.
      TRANSLATION_BREAKER_VOLUME: '1000',
      // Logging is the point here, not batching: each request's text goes to the provider at once.
      TRANSLATION_BATCH_WINDOW_MS: '0',
      ...env,
    },
    { plugs, logDestination: log },
  );
  let mark: number;
  const statuses: number[] = [];
  try {
    const api = new ApiClient(testApp.url);
    const organiser = (await api.signup('mi2_organiser@example.com')).accessToken;
    const translate = async (requestId: string, text: string, targetLanguage = 'de') => {
      const answer = await api.call(
        'POST',
        '/translations',
        {
          texts: [`${text} ${USER_TEXT}`],
          sourceLanguage: 'en',
          targetLanguage,
          kind: 'chat',
        },
        organiser,
        { 'x-request-id': requestId },
      );
      statuses.push(answer.status);
    };
    mark = log.mark();

    // Ordinary traffic: a chat's messages, some repeated (cache hits), all answered at once.
    await runConcurrently(ORDINARY, 5, (i) => translate(`mi2-ok-${i}`, `Chat message ${i % 100}`));
    // Both engines answer 503 twice (a try and its retry), so each of these requests fails with a 503.
    for (let i = 0; i < FAILING; i += 1) {
      providers.google.failNext(503, 2);
      providers.deepl.failNext(503, 2);
      await translate(`mi2-error-${i}`, `Failing message ${i}`);
    }
    // Slow: Google holds one call per language until every call is held and twice the threshold has passed.
    providers.google.hold();
    const slow = Array.from({ length: SLOW }, (_, i) =>
      translate(`mi2-slow-${i}`, `Slow message ${i}`, ['fr', 'es', 'it', 'pt', 'ja'][i]),
    );
    await until(() => providers.google.held === SLOW, 'every slow call held by the provider');
    await new Promise((resolve) => setTimeout(resolve, 2 * SLOW_MS));
    providers.google.release();
    await Promise.all(slow);
  } finally {
    // Closing waits for every response's onResponse hook, where the request line is written.
    await testApp.close();
    await providers.stop();
  }
  const written = log.since(mark);
  const statusLineOf = (requestId: string) =>
    written.lines.some((line) => line['requestId'] === requestId && typeof line['statusCode'] === 'number');
  const errorsMissing = Array.from({ length: FAILING }, (_, i) => `mi2-error-${i}`).filter(
    (id) => !statusLineOf(id),
  ).length;
  const slowMissing = Array.from({ length: SLOW }, (_, i) => `mi2-slow-${i}`).filter(
    (id) => !statusLineOf(id),
  ).length;
  const withUserText = written.raw.filter((text) => text.includes(USER_TEXT)).length;
  const kbPer10k = Math.round((written.bytes * 10_000) / TRANSLATIONS / 1_024);
  const incidents = errorsMissing + slowMissing + withUserText;
  const byMsg: Record<string, number> = {};
  for (const line of written.lines) byMsg[String(line['msg'])] = (byMsg[String(line['msg'])] ?? 0) + 1;
  ctx.log(
    `${run}: ${written.lines.length} lines, ${kbPer10k} KB per 10,000 translations; ` +
      `${errorsMissing} errors and ${slowMissing} slow requests unlogged, ${withUserText} lines with user text`,
  );
  return {
    value: kbPer10k + INCIDENT_KB * incidents,
    details: {
      translations: TRANSLATIONS,
      'lines by message': Object.entries(byMsg)
        .map(([msg, count]) => `${msg}: ${count}`)
        .join(', '),
      'answered 200 / 503': `${statuses.filter((s) => s === 200).length} / ${statuses.filter((s) => s === 503).length}`,
      'log lines written': written.lines.length,
      'log KB per 10,000 translations': kbPer10k,
      'log lines per 10,000 translations': Math.round((written.lines.length * 10_000) / TRANSLATIONS),
      [`failed requests (of ${FAILING}) without a line`]: errorsMissing,
      [`slow requests (of ${SLOW}) without a line`]: slowMissing,
      'lines carrying user text': withUserText,
    },
  };
}

export default defineFinding({
  id: 'polyglot-a:MI-2',
  title: 'Every translation request and response logged in full',
  explanation:
    'The design logs every translation request and response in full: two lines per translation holding the ' +
    "user's text and its translation, so log storage grows with traffic (the review: 10 GB an hour at a large " +
    "event) and every user's words sit in the log store. The remedy (libs/observability RequestLog, ADR 0056) " +
    'writes one line per request only for every 5xx, every request slower than LOG_SLOW_REQUEST_MS (1 s) and ' +
    'LOG_REQUEST_SAMPLE_RATIO (1 %) of the rest, chosen by a hash of the request ID; a line says method, route, ' +
    'status and duration with the correlation IDs, never a body. Measured through HTTP on the real app: ' +
    `${ORDINARY} ordinary translations, ${FAILING} that fail on both engines and ${SLOW} the provider holds past ` +
    'the slow threshold. The value is the log KB per 10,000 translations, plus 1,000 for each failed or slow ' +
    'request without a line and each line carrying user text.',
  fix: [
    '../../libs/observability/src/logging/request-log.ts',
    '../../libs/observability/src/http/http-request-hooks.service.ts',
    'src/config.ts',
    'src/app.module.ts',
  ],
  difficulty: 1,
  hints: [
    'Measure the log bytes per 10,000 translations, and ask which of those lines anyone reads.',
    'The lines an operator needs are the failures and the slow requests; the rest only need a sample.',
    'Sample by a hash of the request ID, so a request is wholly in or out, and never log a body.',
  ],
  seam: 'RequestLog (Nest provider of libs/observability behind the HTTP hooks, under POST /translations) ← katas/mi-2-full-request-log.flawed.ts FullRequestResponseLog; one cousin is a config value (LOG_REQUEST_SAMPLE_RATIO)',
  flawsPutBack: FLAWS,
  metric: {
    name: 'log KB per 10,000 translations + 1,000 per failed or slow request unlogged or line with user text',
    unit: 'KB',
    better: 'lower',
  },
  measure,
  flawed: (kb) => kb >= 2_000,
  // Sampled lines plus the failures' own lines: a few hundred KB; one line per request is already over 2 MB.
  remediated: (kb) => kb <= 1_000,
  timeoutMs: 120_000,
});
