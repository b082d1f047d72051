import { randomUUID } from 'node:crypto';
import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type Variant,
} from '@remedy/testing';
import { unboundedPushHub, uncappedQueueHub } from '../katas/v-07-unbounded-push.flawed.js';
import { LIVE_HUB_FACTORY, type LiveHubFactory } from '../src/dashboards/live/live-hub.js';
import { LiveGateway } from '../src/dashboards/live/live.gateway.js';
import { StoredBatchListeners } from '../src/storage/stored-batch-listeners.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { startTestApp } from './support/start-test-app.js';

const PATIENTS = 200;
const ROUNDS = 200;
const READINGS = PATIENTS * ROUNDS;
const MB = 1024 * 1024;

function reading(wardId: string, patientId: string, round: number): StoredReading {
  return {
    patientId,
    wardId,
    deviceId: patientId,
    seq: round,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, round)).toISOString(),
    heartRate: 60 + (round % 40),
    spo2: 97,
    systolic: 120,
    diastolic: 80,
    temperature: 36.8,
  };
}

type Run = Variant | 'queue without a cap';

const HUBS: Record<Run, LiveHubFactory | undefined> = {
  flawed: unboundedPushHub,
  remediated: undefined,
  'queue without a cap': uncappedQueueHub,
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const wardId = randomUUID();
  const patients = Array.from({ length: PATIENTS }, () => randomUUID());
  let bytesPushed = 0;
  const hub = HUBS[run];
  const app = await startTestApp(
    ctx,
    { LIVE_SEND_HIGH_WATER_BYTES: String(256 * 1024), LIVE_MAX_PENDING_MESSAGES: '1000' },
    hub ? [{ provide: LIVE_HUB_FACTORY, useValue: hub }] : [],
  );
  try {
    const gateway = app.app.get(LiveGateway);
    const storedBatches = app.app.get(StoredBatchListeners);
    // The pushed readings never touch the registry; the ward exists only so a nurse can be assigned to it.
    await ctx.pool.query("INSERT INTO wards (id, hospital_id, name) VALUES ($1, gen_random_uuid(), 'V-07')", [
      wardId,
    ]);
    const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, [wardId]);
    const dashboard = await LiveDashboardClient.open(app.wsUrl, token, [{ wardId }]);
    dashboard.stopReading();
    const before = gateway.stats();
    // What the batched writer hands the push after each durable flush: one batch of 200 per round, the event
    // loop turning between them as it does between commits (200 handed over in one turn would stall it past
    // the Redis command timeout, which no writer does).
    for (let round = 0; round < ROUNDS; round += 1) {
      const batch = patients.map((patientId) => reading(wardId, patientId, round));
      for (const value of batch)
        bytesPushed += Buffer.byteLength(JSON.stringify({ type: 'reading', ...value }));
      storedBatches.announce(batch, '');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(
      'the push path to hand every reading to the slow socket',
      () => {
        const s = gateway.stats();
        return (
          s.sent +
            s.coalesced +
            s.dropped +
            s.pendingMessages -
            (before.sent + before.coalesced + before.dropped + before.pendingMessages) >=
          READINGS
        );
      },
      60_000,
    );
    const stats = gateway.stats();
    ctx.log(
      `${run}: ${READINGS} readings for a dashboard that stopped reading; server holds ${(stats.heldBytes / MB).toFixed(2)} MB, ${stats.coalesced} coalesced`,
    );
    await dashboard.close();
    return {
      value: stats.heldBytes / MB,
      details: {
        readings: READINGS,
        'MB pushed': Number((bytesPushed / MB).toFixed(1)),
        'coalesced to latest': stats.coalesced - before.coalesced,
        'waiting (≤ one per patient)': stats.pendingMessages,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-07',
  title: 'Unbounded WebSocket send buffers for a slow dashboard',
  explanation:
    "ws.send() never says no: when a dashboard stops reading, every reading for its ward waits in the server's memory, and a few frozen tabs are enough to exhaust an instance. The remedy sends through a bounded queue per socket (libs/realtime): once the socket holds more than its high-water mark, readings wait in the queue keyed by patient, and a newer reading for the same patient replaces the waiting one. Memory per slow socket is bounded by the high-water mark plus one reading per patient, and the dashboard, when it catches up, gets current values rather than a stale backlog. Both runs take the same path (committed batches as the writer hands them over → push service → the /live hub → a dashboard that stopped reading); the flawed run plugs in a hub whose send path writes every message straight to ws.send().",
  fix: [
    '../../libs/realtime/src/bounded-send-queue.ts',
    'src/dashboards/live/live.gateway.ts',
    'src/dashboards/live/live-rooms.ts',
  ],
  metric: { name: 'server memory held for one stalled dashboard', unit: 'MB', better: 'lower' },
  difficulty: 3,
  hints: [
    'ws.send() never refuses: where do messages for a frozen dashboard go?',
    "Watch the socket's bufferedAmount and stop sending past a high-water mark.",
    'What you hold back must stay bounded too: keep only the newest reading per patient while the socket is behind.',
    'The technique: backpressure with a bounded, coalescing per-socket send queue (libs/realtime).',
  ],
  seam: 'LIVE_HUB_FACTORY (Nest provider: the /live hub and its per-socket send path) ← katas/v-07-unbounded-push.flawed.ts unboundedPushHub',
  flawsPutBack: {
    'queue without a cap':
      'the send path stops at the high-water mark but queues every message: no cap, no coalescing to the latest per patient',
  },
  measure,
  flawed: (heldMb) => heldMb > 2,
  remediated: (heldMb) => heldMb < 1,
  timeoutMs: 120_000,
});
