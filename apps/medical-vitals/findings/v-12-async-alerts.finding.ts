import type { ProviderPlug } from '@remedy/testing';
import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type Variant,
} from '@remedy/testing';
import {
  AlertAfterAppendPublisher,
  InlineAlertingPublisher,
  InlineEvaluationPublisher,
} from '../katas/v-12-alert-in-write-path.flawed.js';
import { ALERTS_GROUP } from '../src/alerts/alert-evaluator.service.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';
import { DeviceClient, readings, type ReadingMessage } from './support/device-client.js';
import { Gate, heldRuleEngine } from './support/held-rule-engine.js';
import { NotificationProvider } from './support/notification-provider.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const BREACHING = new Set([2, 3, 4, 7, 8]);
const EPISODES = 2;
const READINGS = 10;

type Run = Variant | 'alerting after the stream append' | 'inline rule evaluation';

const PUBLISHERS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: StoredStreamPublisher, useClass: InlineAlertingPublisher }],
  remediated: [],
  'alerting after the stream append': [
    { provide: StoredStreamPublisher, useClass: AlertAfterAppendPublisher },
  ],
  'inline rule evaluation': [{ provide: StoredStreamPublisher, useClass: InlineEvaluationPublisher }],
};

function series(): ReadingMessage[] {
  return readings(READINGS).map((reading, index) => ({
    ...reading,
    heartRate: BREACHING.has(index) ? 160 : 80,
  }));
}

/**
 * Sends each reading while the rule engine is held, and counts the readings acknowledged before it is
 * released. Nothing is timed: for each reading the measurement waits until either the ack arrives, or a
 * rule lookup is waiting at the gate on behalf of the write path. The stream evaluator (consumer group
 * `alerts`) only looks rules up for an entry it has read and not yet acknowledged, so more lookups waiting
 * than such entries (at most one: it handles them one at a time) means the ingest path is waiting on the rules.
 */
async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const provider = await NotificationProvider.start();
  const gate = new Gate();
  const app = await startTestApp(ctx, { NOTIFY_URL: provider.url, NOTIFY_TIMEOUT_MS: '5000' }, [
    heldRuleEngine(gate),
    ...PUBLISHERS[run],
  ]);
  try {
    const storedStream = app.app.get(RedisKeys).storedStream;
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    await ctx.pool.query("INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120)", [
      device!.patientId,
    ]);
    const evaluatorHolds = async (): Promise<number> => {
      const pending = (await ctx.redis.xpending(storedStream, ALERTS_GROUP).catch(() => [0])) as [number];
      return Math.min(1, Number(pending[0]));
    };
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    let ackedWhileHeld = 0;
    for (const reading of series()) {
      gate.close();
      client.sendReadings([reading]);
      let acked = false;
      await waitUntil(
        `reading ${reading.seq} to be acknowledged, or the ingest path to wait on the rule engine`,
        async () => {
          acked = client.acked >= reading.seq;
          return acked || gate.waiting > (await evaluatorHolds());
        },
        30_000,
      );
      if (acked) ackedWhileHeld += 1;
      gate.open();
      await client.untilAcked(reading.seq, 30_000);
    }
    client.close();
    await waitUntil(
      'the provider to be notified of every episode',
      () => provider.received.length >= EPISODES,
      20_000,
    );
    const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
    const alerts = rows[0]!.n;
    if (alerts !== EPISODES)
      throw new Error(`expected exactly ${EPISODES} alerts (one per episode), got ${alerts}`);
    ctx.log(`${run}: ${ackedWhileHeld}/${READINGS} readings acknowledged while the rule engine was held`);
    return {
      value: ackedWhileHeld,
      details: {
        readings: READINGS,
        'breach episodes': EPISODES,
        'alerts raised': alerts,
        'provider notified': provider.received.length,
      },
    };
  } finally {
    gate.open();
    await app.close();
    await provider.stop();
  }
}

export default defineFinding({
  id: 'vitals:V-12',
  title: 'Alert detection inside the write path',
  explanation:
    'When the ingest handler evaluates rules and notifies before acknowledging, every reading waits for the rule ' +
    'engine and every breaching one for the notification provider, exactly when the patient is in trouble and ' +
    'devices send the most. The proof holds the rule engine (a gate in front of the rule cache) while each ' +
    'reading is sent and counts the acks that arrive anyway; the flawed run plugs the inline evaluation in ' +
    'between the commit and the ack, on the real ingest path. The remedy ' +
    'acknowledges once the batch is stored and appended to the vitals:stored stream; an evaluator in the consumer ' +
    'group `alerts` raises one alert per breach episode (a partial unique index keeps one open episode per rule and ' +
    'patient) and notifies through a circuit breaker, off the ingest path.',
  fix: [
    'src/alerts/alert-evaluator.service.ts',
    'src/alerts/alert-store.service.ts',
    'src/storage/vitals-writer.service.ts',
  ],
  metric: {
    name: `readings acknowledged while the rule engine is held (of ${READINGS})`,
    unit: 'readings',
    better: 'higher',
  },
  difficulty: 2,
  hints: [
    'Why does the device wait for the rule engine before its reading is acknowledged?',
    'Acknowledge once the reading is durably stored; evaluate the rules after, somewhere else.',
    'Append the stored batch to a Redis stream and let a consumer group evaluate rules and notify, with its own retries.',
    'The technique: moving work off the write path via a durable log (Redis Streams consumer group) — asynchronous alerting.',
  ],
  seam: 'StoredStreamPublisher (Nest provider: what runs between a batch commit and the device ack) ← katas/v-12-alert-in-write-path.flawed.ts InlineAlertingPublisher; the rule engine (RuleCache) is held behind a gate in every run',
  flawsPutBack: {
    'alerting after the stream append':
      'the batch is appended to vitals:stored first, then the rules are evaluated and the provider notified inline, before the ack',
    'inline rule evaluation':
      'the rules are evaluated (and the alert stored) before the ack; only the provider call runs on its own',
  },
  measure,
  flawed: (acked) => acked === 0,
  remediated: (acked) => acked === READINGS,
  timeoutMs: 120_000,
});
