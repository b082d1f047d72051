import {
  defineFinding,
  PaymentProviderEmulator,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import {
  PaymentProviderWithoutBreaker,
  PaymentProviderWithoutIdempotencyKey,
  PaymentProviderWithoutTimeout,
  UnguardedPaymentProvider,
} from '../katas/m-3-unguarded-payment-provider.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig, PaymentsConfig } from '../src/config.js';
import { PaymentProvider } from '../src/tips/payments/payment-provider.js';
import { ApiClient } from './support/api-client.js';
import { postTip, type TipAnswer } from './support/post-tip.js';
import { seedLiveStream } from './support/seed-live-stream.js';
import { startTestApp } from './support/start-test-app.js';

/** Tips per wave against the hanging provider. */
const WAVE = 6;
/**
 * How long the test waits for answers while the provider holds its hanging calls: about 10× the ~320 ms the
 * remediated app takes to give up on a tip (2 attempts of 150 ms; the slowest seen, ~420 ms, is still 7× under it).
 * Only a caller with no deadline waits it out, up to three times per run: this is most of the flawed run's time.
 */
const PATIENCE_MS = 3_000;
const PAYMENTS = {
  PAYMENT_TIMEOUT_MS: '150',
  PAYMENT_ATTEMPTS: '2',
  PAYMENT_RETRY_DELAY_MS: '20',
  PAYMENT_BREAKER_VOLUME: '4',
  PAYMENT_BREAKER_RESET_MS: '60000',
};

const FLAWS = {
  'timeout without breaker':
    'PaymentProvider ← PaymentProviderWithoutBreaker: timeouts and keyed retries, no breaker',
  'breaker without timeout':
    'PaymentProvider ← PaymentProviderWithoutTimeout: breaker and keyed retries, no timeout',
  'retries without idempotency key':
    'PaymentProvider ← PaymentProviderWithoutIdempotencyKey: timeout, breaker and retries, no Idempotency-Key sent',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function plug(make: (config: PaymentsConfig) => PaymentProvider): ProviderPlug {
  return {
    provide: PaymentProvider,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => make(config.payments),
  };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [plug((config) => new UnguardedPaymentProvider(config))],
  remediated: [],
  'timeout without breaker': [plug((config) => new PaymentProviderWithoutBreaker(config))],
  'breaker without timeout': [plug((config) => new PaymentProviderWithoutTimeout(config))],
  'retries without idempotency key': [plug((config) => new PaymentProviderWithoutIdempotencyKey(config))],
};

/**
 * Waits for `requests` to be answered while the provider holds every hanging call (the emulator has no timer
 * of its own). An app with a deadline answers and closes its held calls; once that is seen, or after
 * PATIENCE_MS, the test releases whatever is still held and counts it: calls the app would have waited on
 * for as long as the provider hung.
 */
async function answersWhileHeld<T>(
  provider: PaymentProviderEmulator,
  requests: Promise<T>,
): Promise<{ answers: T; heldUntilReleased: number }> {
  let answered = false;
  const answers = requests.finally(() => {
    answered = true;
  });
  await waitUntil(
    'answers, with every held provider call closed by the app',
    () => answered && provider.heldOpen === 0,
    PATIENCE_MS,
  ).catch(() => undefined);
  let heldUntilReleased = provider.releaseHeld();
  // A caller with no deadline may retry a released call, and the hanging provider holds the retry too: release
  // each such call as it arrives until the answers are in (each counts: it too would have waited out the hang).
  while (!answered) {
    await waitUntil(
      'answers, or another held provider call to release',
      () => answered || provider.heldOpen > 0,
      PATIENCE_MS,
    ).catch(() => undefined);
    heldUntilReleased += provider.releaseHeld();
  }
  return { answers: await answers, heldUntilReleased };
}

function statuses(answers: readonly TipAnswer[]): string {
  const counts = new Map<number, number>();
  for (const answer of answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}×${status}`).join(', ');
}

async function measure(
  run: Run,
  ctx: FindingContext,
  provider: PaymentProviderEmulator,
): Promise<Measurement> {
  const testApp = await startTestApp(
    ctx,
    { ...PAYMENTS, PAYMENT_API_URL: provider.url },
    { plugs: PLUGS[run] },
  );
  try {
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('m3_streamer@example.com');
    const viewer = await api.signup('m3_viewer@example.com');
    const streamId = await seedLiveStream(ctx.pool, streamer.user.id);
    const tip = (key: string): Promise<TipAnswer> =>
      postTip(testApp.url, viewer.accessToken, streamId, key, { amountCents: 500 });

    // 1. One tip retried by the viewer until it succeeds, while the provider charges and then loses the answer
    //    (a 500, then a hang): however many calls reach it, the tip must be charged once.
    provider.failNext({ kind: 'status', status: 500, charge: true });
    provider.failNext({ kind: 'hang', charge: true });
    const retried: TipAnswer[] = [];
    while (retried.length < 5 && retried.at(-1)?.status !== 201) {
      retried.push((await answersWhileHeld(provider, tip('m3-retried-tip'))).answers);
    }
    retried.push(await tip('m3-retried-tip'));
    const duplicateCharges = provider.chargeCount - 1;
    const sameTip = new Set(retried.filter((a) => a.status === 201).map((a) => a.body['id'])).size === 1;

    // 2. The provider hangs. A first wave of tips: each call the app makes is either given up by the app (its
    //    timeout) or held until the test releases it (the caller would have waited out the whole hang).
    provider.hanging = true;
    const { answers: first, heldUntilReleased: firstHeld } = await answersWhileHeld(
      provider,
      Promise.all(Array.from({ length: WAVE }, (_, i) => tip(`m3-first-wave-${i}`))),
    );

    // 3. A second wave after the first has failed: with the breaker open none of it reaches the provider.
    const receivedBefore = provider.received;
    const { answers: second, heldUntilReleased: secondHeld } = await answersWhileHeld(
      provider,
      Promise.all(Array.from({ length: WAVE }, (_, i) => tip(`m3-second-wave-${i}`))),
    );
    const secondCalls = provider.received - receivedBefore;

    const held = firstHeld + secondHeld;
    ctx.log(
      `${run}: ${held} provider calls held until the test released them, ${secondCalls} provider calls in wave 2, ` +
        `${duplicateCharges} duplicate charges`,
    );
    return {
      value: held + secondCalls + duplicateCharges,
      details: {
        'retried tip: answers': statuses(retried),
        'retried tip: charges made': provider.chargeCount,
        'retried tip: one tip id in every 201': sameTip ? 'yes' : 'no',
        [`wave 1 (${WAVE} tips): answers`]: statuses(first),
        'wave 1: calls held until the test released them': firstHeld,
        [`wave 2 (${WAVE} tips): answers`]: statuses(second),
        'wave 2: provider calls': secondCalls,
        'wave 2: 503s with Retry-After': second.filter((a) => a.status === 503 && a.retryAfter !== null)
          .length,
        'wave 2: calls held until the test released them': secondHeld,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'livestream:M3',
  title: 'No timeouts, circuit breaker or idempotency for the payment provider',
  explanation:
    'The design calls Stripe with no timeout, no breaker and no idempotency key. When the provider hangs, every tip ' +
    'request hangs with it, and every new tip is one more call into the hang; a charge whose answer was lost is charged ' +
    'again when the viewer retries. The remedy claims the tip row under (tipper, Idempotency-Key) first, calls the ' +
    'provider with a 3 s timeout that closes the connection, retries timeouts and 5xx with the key `tip_<id>` (so the ' +
    'provider charges once), and runs each call through an opossum circuit breaker: after repeated failures tips fail at ' +
    'once with 503 and Retry-After and the provider is left alone until the breaker probes it again. Measured through ' +
    'HTTP on the real app and a Stripe-like emulator: one tip retried while the provider charges and loses the answer ' +
    '(a 500, then a hang), then two waves of 6 tips against a provider that holds every call until the test releases ' +
    "it: once the app has answered and closed its held calls, or after about 10× the app's own deadline. The value adds the " +
    'provider calls the app was still waiting on at the release, the provider calls in the second wave and the duplicate charges.',
  fix: [
    'src/tips/payments/guarded-payment-provider.ts',
    'src/tips/payments/retry-charge.ts',
    'src/tips/tips.service.ts',
    'src/migrations/1790000004000-create-tips.ts',
  ],
  difficulty: 2,
  hints: [
    'A provider that does not answer holds every tip request as long as it does not answer.',
    'Give each call a deadline, and stop calling a provider that keeps failing for a while.',
    'A retry after a lost answer must not be a second charge: the provider must recognise the retry.',
    "The techniques: a per-call timeout, a circuit breaker (opossum), retries with an idempotency key derived from a tip row claimed under the client's key.",
  ],
  seam: 'PaymentProvider (Nest provider under TipsService) ← katas/m-3-unguarded-payment-provider.flawed.ts UnguardedPaymentProvider',
  flawsPutBack: FLAWS,
  metric: {
    name: 'calls still waited on when the hanging provider let go + provider calls after the breaker should be open (wave 2) + duplicate charges',
    unit: 'events',
    better: 'lower',
  },
  async measure(run, ctx) {
    const provider = await PaymentProviderEmulator.start();
    try {
      return await measure(run, ctx, provider);
    } finally {
      await provider.stop();
    }
  },
  flawed: (events) => events >= WAVE,
  remediated: (events) => events === 0,
  // A caller without a deadline waits out PATIENCE_MS up to three times (the retried tip and both waves).
  timeoutMs: 180_000,
});
