import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  BoundedWithoutKeepAliveConnections,
  ConnectionPerCallProviderConnections,
  UnboundedKeepAliveConnections,
} from '../katas/m-3-connection-per-call.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { ProviderConnections } from '../src/translation/providers/provider-connections.js';
import { ApiClient } from './support/api-client.js';
import { runConcurrently } from './support/run-concurrently.js';
import { startTestApp } from './support/start-test-app.js';
import { translateCall } from './support/translate-call.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Provider calls measured: one POST /translations of one new text each, so one Google call each. */
const CALLS = 1_000;
/**
 * Requests in flight against the app: four times the pool, so a pool that does not bound connections shows. Each
 * lane is its own organisation sending one request at a time: micro-batching (polyglot-b:S-5) groups texts by
 * organisation, so it finds one text per group and every request stays one Google call, 32 at once.
 */
const CONCURRENCY = 32;
const POOL_SIZE = 8;
/**
 * The calls come in rounds with a lull between them (every call of a round answered before the next round starts),
 * as traffic does. Within a round calls always wait for a connection, so only a pool that keeps its connections
 * through a lull shows the difference from one that closes them (CI once saw a single round open 8 either way).
 */
const ROUNDS = 5;

const FLAWS = {
  'keep-alive without a bound':
    'ProviderConnections ← UnboundedKeepAliveConnections: connections are reused, but a burst opens one per call in flight',
  'a bound without keep-alive':
    'ProviderConnections ← BoundedWithoutKeepAliveConnections: at most the pool size at once, but a connection closes whenever no call waits for it, so the next calls reconnect',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function plug(make: (config: AppConfig) => ProviderConnections): ProviderPlug {
  return { provide: ProviderConnections, inject: [APP_CONFIG], useFactory: make };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [plug(() => new ConnectionPerCallProviderConnections())],
  remediated: [],
  'keep-alive without a bound': [plug(() => new UnboundedKeepAliveConnections())],
  'a bound without keep-alive': [
    plug((config) => new BoundedWithoutKeepAliveConnections(config.providers.poolSize)),
  ],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // Each call stays 20 ms at the provider, so calls overlap and the pool is used at its bound.
  const providers = await startTranslationProviders({ google: { latency: { kind: 'fixed', ms: 20 } } });
  const testApp = await startTestApp(
    ctx,
    // A call given up at its timeout destroys its connection (its answer may still come), so a busy machine
    // would add reconnects that are not the pool's: the proof counts connections, so calls may wait 30 s.
    { ...providers.env, TRANSLATION_POOL_SIZE: String(POOL_SIZE), TRANSLATION_TIMEOUT_MS: '30000' },
    { plugs: PLUGS[run] },
  );
  try {
    const api = new ApiClient(testApp.url);
    const organisers: string[] = [];
    for (let lane = 0; lane < CONCURRENCY; lane += 1) {
      organisers.push((await api.signup(`m3_organiser_${lane}@example.com`)).accessToken);
    }
    const answers = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const first = (round * CALLS) / ROUNDS;
      answers.push(
        ...(await runConcurrently(CALLS / ROUNDS, CONCURRENCY, (i, lane) =>
          translateCall(api, organisers[lane]!, [`Message number ${first + i} of the pool measurement`]),
        )),
      );
    }
    const google = providers.google;
    const googleCalls = google.calls.filter((call) => call.status === 200).length;
    ctx.log(`${run}: ${google.connectionsOpened} connections opened for ${googleCalls} Google calls`);
    return {
      value: google.connectionsOpened,
      details: {
        'requests answered 200': answers.filter((answer) => answer.status === 200).length,
        'Google calls': googleCalls,
        'TCP connections opened to Google': google.connectionsOpened,
        'most connections open at once': google.maxOpenConnections,
        'connections per 1,000 calls': Math.round(
          (google.connectionsOpened / Math.max(googleCalls, 1)) * 1_000,
        ),
        'pool size (TRANSLATION_POOL_SIZE)': POOL_SIZE,
      },
    };
  } finally {
    await testApp.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:M-3',
  alsoCovers: ['polyglot-b:S-1'],
  title: 'No connection pool for the translation API: a TCP (TLS) handshake per call',
  explanation:
    'The design calls the translation API with no pool settings: each call opens a connection and closes it, so at ' +
    'peak the service spends a handshake per translation and piles sockets in TIME_WAIT. The remedy gives each ' +
    "engine a keep-alive pool sized by Little's law (peak calls/s × p99 latency × 1.5, or TRANSLATION_POOL_SIZE): " +
    'calls reuse idle connections and never open more than the pool holds; calls beyond it queue for a connection. ' +
    `Measured through HTTP on the real app: ${CALLS} translations of new texts (one Google call each) in ${ROUNDS} rounds with a lull between them, ${CONCURRENCY} ` +
    `at a time from as many organisations (so micro-batching, which groups by organisation, leaves each call one text), against the Google emulator answering in 20 ms, with a pool of ${POOL_SIZE}; the value is the TCP ` +
    'connections the emulator accepted.',
  fix: [
    'src/translation/providers/provider-connection-pool.ts',
    'src/translation/providers/provider-connections.ts',
    'src/translation/providers/provider-http-client.ts',
  ],
  difficulty: 1,
  hints: [
    'Count the connections the provider accepts for a thousand calls.',
    'A connection can carry many calls one after another if neither side closes it.',
    "How many does one instance need at once? Calls per second times how long each takes (Little's law).",
    'The technique: a keep-alive agent with maxSockets from that formula.',
  ],
  seam: 'ProviderConnections (Nest provider the engines take their HTTP agent from) ← katas/m-3-connection-per-call.flawed.ts ConnectionPerCallProviderConnections',
  flawsPutBack: FLAWS,
  metric: {
    name: `TCP connections opened to the provider for ${CALLS} calls`,
    unit: 'connections',
    better: 'lower',
  },
  measure,
  flawed: (connections) => connections >= CALLS / 2,
  remediated: (connections) => connections <= POOL_SIZE,
  timeoutMs: 180_000,
});
