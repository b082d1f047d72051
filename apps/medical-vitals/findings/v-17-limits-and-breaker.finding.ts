import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { NoDeviceRateLimit, UnguardedNotificationClient } from '../katas/v-17-no-limits.flawed.js';
import type { RaisedAlert } from '../src/alerts/alert.js';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { DeviceRateLimiter } from '../src/ingest/device-rate-limiter.service.js';
import { NotificationClient } from '../src/notifications/notification-client.service.js';
import { DeviceClient, readings } from './support/device-client.js';
import { NotificationProvider } from './support/notification-provider.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const NOTIFICATIONS = 20;
const FLOOD = 1_000;
const FLOOD_MESSAGE = 20;
const POLITE = 20;
const PROVIDER_DELAY_MS = 150;

function alert(index: number): RaisedAlert {
  return {
    id: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
    patientId: '00000000-0000-0000-0000-000000000000',
    wardId: null,
    metric: 'heart_rate',
    value: 160,
    threshold: 120,
    raisedAt: new Date().toISOString(),
  };
}

const FLAWS = {
  'no device rate limit': 'the limiter lets every reading through (the breaker stays)',
  'timeout without breaker':
    'the provider is called with the 100 ms timeout on every alert, no circuit breaker (the limiter stays)',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const noRateLimit: ProviderPlug = { provide: DeviceRateLimiter, useClass: NoDeviceRateLimit };
const notifierWithoutBreaker = (timeoutMs?: number): ProviderPlug => ({
  provide: NotificationClient,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new UnguardedNotificationClient(config.notifications.url, timeoutMs),
});

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [noRateLimit, notifierWithoutBreaker()],
  remediated: [],
  'no device rate limit': [noRateLimit],
  'timeout without breaker': [notifierWithoutBreaker(100)],
};

async function measure(run: Run, ctx: FindingContext, provider: NotificationProvider): Promise<Measurement> {
  const app = await startTestApp(
    ctx,
    {
      ALERT_EVALUATOR_ENABLED: 'false',
      NOTIFY_URL: provider.url,
      NOTIFY_TIMEOUT_MS: '100',
      NOTIFY_BREAKER_VOLUME: '5',
      NOTIFY_BREAKER_RESET_MS: '60000',
      DEVICE_RATE_PER_SECOND: '10',
      DEVICE_RATE_BURST: '30',
    },
    PLUGS[run],
  );
  try {
    const [flooder, polite] = (await seedRegistry(ctx.pool, { patients: 2 })).devices;
    const flooding = await DeviceClient.open(app.wsUrl, flooder!.id, flooder!.token);
    const politeClient = await DeviceClient.open(app.wsUrl, polite!.id, polite!.token);
    const flood = readings(FLOOD);
    for (let i = 0; i < FLOOD; i += FLOOD_MESSAGE) flooding.sendReadings(flood.slice(i, i + FLOOD_MESSAGE));
    const gentle = readings(POLITE);
    politeClient.sendReadings(gentle.slice(0, POLITE / 2));
    politeClient.sendReadings(gentle.slice(POLITE / 2));
    await politeClient.untilAcked(POLITE - 1);
    const answered = (): number =>
      flooding.replies.filter((reply) => reply.type === 'ack' || reply.type === 'throttled').length;
    await flooding.until(() => answered() === FLOOD / FLOOD_MESSAGE, 30_000);
    const accepted = flooding.replies
      .filter((reply) => reply.type === 'ack')
      .reduce((sum, reply) => sum + (reply['count'] as number), 0);
    flooding.close();
    politeClient.close();

    const notifier = app.app.get(NotificationClient);
    const started = performance.now();
    const outcomes: string[] = [];
    for (let i = 0; i < NOTIFICATIONS; i += 1) outcomes.push(await notifier.notify(alert(i)));
    // Each fault's share that got through; the worse of the two is the value.
    const floodShare = (100 * accepted) / FLOOD;
    const providerShare = (100 * provider.calls) / NOTIFICATIONS;
    return {
      value: Math.round(Math.max(floodShare, providerShare)),
      details: {
        'flood readings accepted': `${accepted}/${FLOOD}`,
        'alerts that reached the failing provider': `${provider.calls}/${NOTIFICATIONS}`,
        'polite device acked': `${POLITE}/${POLITE}`,
        [`ms for ${NOTIFICATIONS} alerts`]: Math.round(performance.now() - started),
        'failed fast (breaker open)': outcomes.filter((outcome) => outcome === 'rejected').length,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-17',
  title: 'No rate limiting, timeouts or circuit breakers',
  explanation:
    'Without a limit, one faulty device flooding readings takes as much of the write path as it can send; without a ' +
    'timeout and a breaker, a failing notification provider is called, and waited for, on every alert. The remedy ' +
    'gives each device a token bucket in Redis (10 readings/s, burst 30 by default) and answers past it with ' +
    '`throttled` and a retry delay while other devices are acked as usual; the provider is called with a timeout ' +
    'behind an opossum circuit breaker that opens after repeated failures, so further calls fail at once. Both ' +
    "variants run the real gateway and alert client; the flawed one has the review's unlimited intake and " +
    'unguarded provider call plugged in. The value is the larger share of a fault that got through: of a ' +
    '1,000-reading flood, stored; of 20 alerts to a failing provider, calls that reached it.',
  fix: ['src/ingest/device-rate-limiter.service.ts', 'src/notifications/notification-client.service.ts'],
  metric: {
    name: `larger share let through: flood readings stored (of ${FLOOD}) or alerts sent to the failing provider (of ${NOTIFICATIONS})`,
    unit: '%',
    better: 'lower',
  },
  difficulty: 3,
  hints: [
    "One faulty device floods readings, and a failing provider is waited for on every alert: nothing says 'enough'.",
    "Give each device a budget of readings per second, kept where every instance sees it, and answer past it with 'throttled' and a retry delay.",
    'Call the provider with a timeout, and after repeated failures stop calling it for a while: fail fast, then probe again.',
    'The techniques: a per-device token bucket in Redis (rate limiting) and a timeout plus circuit breaker (opossum) around the provider.',
  ],
  seam: 'DeviceRateLimiter and NotificationClient (Nest providers) ← katas/v-17-no-limits.flawed.ts NoDeviceRateLimit, UnguardedNotificationClient',
  flawsPutBack: FLAWS,
  async measure(run, ctx) {
    const provider = await NotificationProvider.start();
    provider.failing = true;
    provider.delayMs = PROVIDER_DELAY_MS;
    try {
      return await measure(run, ctx, provider);
    } finally {
      await provider.stop();
    }
  },
  flawed: (share) => share >= 90,
  remediated: (share) => share <= 50,
});
