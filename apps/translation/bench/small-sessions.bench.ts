import { benchSetting, defineBench, type BenchResult } from '@remedy/testing';
import { perParticipantDeliveryPlugs } from '../katas/mi-1-per-participant-delivery.flawed.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import { runChatLoad, type ChatLoadOutcome, type ChatLoadScenario } from './support/chat-load.js';
import type { StatementCounts } from './support/statement-tally.js';

const P95_GOAL_MS = 400;
const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];
/** Sockets one client process holds at most (the open-files limit is per process). */
const SOCKETS_PER_CLIENT_PROCESS = 5_000;
/** A fixed answer time: every call costs the 150 ms, so calls and latencies compare across variants. */
const PROVIDER_MS = 150;

/** Participant lookups per message: the worker's (with their SQL) and the API's (none outside the INSERT). */
function participantReads(outcome: ChatLoadOutcome): number {
  return (
    outcome.workerStatementsPerMessage.participantReads + outcome.apiStatementsPerMessage.participantReads
  );
}

function sumOf(a: StatementCounts, b: StatementCounts): StatementCounts {
  return {
    reads: Math.round((a.reads + b.reads) * 100) / 100,
    participantReads: Math.round((a.participantReads + b.participantReads) * 100) / 100,
    writes: Math.round((a.writes + b.writes) * 100) / 100,
    other: Math.round((a.other + b.other) * 100) / 100,
  };
}

/** What both variants report, under the same names. */
function metricsOf(outcome: ChatLoadOutcome): BenchResult {
  const statements = sumOf(outcome.workerStatementsPerMessage, outcome.apiStatementsPerMessage);
  return {
    sockets: outcome.sockets,
    'sockets that failed to join': outcome.failedToJoin,
    'seconds to open, authenticate and join every socket': outcome.openSeconds,
    'messages sent (measured window, after the warm-up round)': outcome.messagesSent,
    'messages delivered per second': outcome.messagesPerSecondDelivered,
    'error frames answering a send': outcome.refused,
    'deliveries expected': outcome.deliveriesExpected,
    'deliveries lost': outcome.deliveriesLost,
    'deliveries duplicated': outcome.deliveriesDuplicated,
    'send → participant p50 ms (translation included)': outcome.sendP50,
    'send → participant p95 ms': outcome.sendP95,
    'send → participant p99 ms': outcome.sendP99,
    'store → participant p50 / p95 / p99 / max ms': `${outcome.p50} / ${outcome.p95} / ${outcome.p99} / ${outcome.max}`,
    'provider latency p50 / p99 ms (emulated; a message’s slowest engine call)': `${outcome.providerP50} / ${outcome.providerP99}`,
    'service’s own time p50 / p95 / p99 ms (store → participant − provider latency)': `${outcome.ownP50} / ${outcome.ownP95} / ${outcome.ownP99}`,
    'batcher wait p50 / p99 ms (bucket bound)': `${outcome.batchWaitP50} / ${outcome.batchWaitP99}`,
    'provider calls per message (counted at the emulator)': outcome.providerCallsPerMessage,
    'texts translated per message (segments at the emulator)': outcome.translationsPerMessage,
    'participant/language reads per message': participantReads(outcome),
    'other reads per message (the service once warm: only the outbox poll and the sweep, by the clock)':
      Math.round((statements.reads - statements.participantReads) * 100) / 100,
    'writes per message (message, history, delivered mark)': statements.writes,
    'worker statements per message (reads / participant reads / writes / other)': `${outcome.workerStatementsPerMessage.reads} / ${outcome.workerStatementsPerMessage.participantReads} / ${outcome.workerStatementsPerMessage.writes} / ${outcome.workerStatementsPerMessage.other}`,
    'API statements per message (reads / writes / other)': `${outcome.apiStatementsPerMessage.reads} / ${outcome.apiStatementsPerMessage.writes} / ${outcome.apiStatementsPerMessage.other}`,
    'server RSS per socket, KB (joined − idle, ÷ sockets; no forced GC)': outcome.rssPerSocketKb,
  };
}

/** a ÷ b to two decimals, or '∞' when only b is 0. */
function ratio(a: number, b: number): number | string {
  if (b === 0) return a === 0 ? 1 : '∞';
  return Math.round((a / b) * 100) / 100;
}

/**
 * polyglot-a:MI-1, polyglot-b:M-5, the issue's scenario: 1,000 sessions of 20 participants in 5 languages (4
 * each) over two API instances, each session's speaker sending a message every 10 s, the provider answering in
 * 150 ms; after one warm-up round, it counts provider calls per message at the emulator, the service's
 * statements per message (the worker's with their SQL, the API instances' from their /metrics) and send →
 * participant latency. Then the same load at TRANSLATION_BENCH_FLAWED_SESSIONS sessions against the reviewed
 * per-participant design plugged in at the worker's seam (katas/mi-1-per-participant-delivery.flawed.ts), and
 * the ratios. Knobs: TRANSLATION_BENCH_SESSIONS (1,000), TRANSLATION_BENCH_SESSION_SIZE (20),
 * TRANSLATION_BENCH_SESSIONS_SECONDS (30), TRANSLATION_BENCH_SESSIONS_INTERVAL_MS (10,000),
 * TRANSLATION_BENCH_FLAWED_SESSIONS (100), TRANSLATION_BENCH_CLIENT_PROCESSES (one per 5,000 sockets),
 * TRANSLATION_BENCH_CALLS_IN_FLIGHT_PER_PAIR (the service's default: set it to compare bounds, ADR 0076).
 */
export default defineBench({
  name: 'translation: 1,000 small sessions × 20 participants in 5 languages over two API instances, against the per-participant design (calls and statements per message, send → participant p95)',
  harness: translationHarness,
  async run(ctx) {
    const sessions = Math.round(benchSetting('TRANSLATION_BENCH_SESSIONS', 1_000));
    const participants = Math.round(benchSetting('TRANSLATION_BENCH_SESSION_SIZE', 20));
    const flawedSessions = Math.round(benchSetting('TRANSLATION_BENCH_FLAWED_SESSIONS', 100));
    const seconds = benchSetting('TRANSLATION_BENCH_SESSIONS_SECONDS', 30);
    const intervalMs = benchSetting('TRANSLATION_BENCH_SESSIONS_INTERVAL_MS', 10_000);
    const callsInFlight = process.env['TRANSLATION_BENCH_CALLS_IN_FLIGHT_PER_PAIR'];
    const scenarioOf = (label: string, count: number): ChatLoadScenario => ({
      label,
      sessions: count,
      participants,
      languages: LANGUAGES,
      intervalMs,
      seconds,
      warmUpRounds: 1,
      clientProcesses: Math.round(
        benchSetting(
          'TRANSLATION_BENCH_CLIENT_PROCESSES',
          Math.ceil((count * participants) / SOCKETS_PER_CLIENT_PROCESS),
        ),
      ),
      providerLatency: { kind: 'fixed', ms: PROVIDER_MS },
      ...(callsInFlight !== undefined && {
        maxCallsInFlightPerPair: Math.round(benchSetting('TRANSLATION_BENCH_CALLS_IN_FLIGHT_PER_PAIR', 1)),
      }),
    });

    const remediated = await runChatLoad(ctx, scenarioOf('remediated', sessions), ctx.log);
    ctx.log(
      `remediated, ${sessions} sessions: p95 ${remediated.sendP95} ms, ${remediated.providerCallsPerMessage} calls and ${participantReads(remediated)} participant reads per message`,
    );
    const flawed = await runChatLoad(
      ctx,
      { ...scenarioOf('flawed', flawedSessions), workerPlugs: perParticipantDeliveryPlugs() },
      ctx.log,
    );
    ctx.log(
      `per-participant design, ${flawedSessions} sessions: p95 ${flawed.sendP95} ms, ${flawed.providerCallsPerMessage} calls and ${participantReads(flawed)} participant reads per message`,
    );

    const targets = Math.min(participants, LANGUAGES.length) - 1;
    const lostOrDuplicated = remediated.deliveriesLost + remediated.deliveriesDuplicated;
    const goals: Record<string, BenchResult> = {
      [`provider calls per message ≤ ${targets} (the distinct target languages; fewer with batching)`]: {
        value: remediated.providerCallsPerMessage,
        met: remediated.providerCallsPerMessage <= targets,
      },
      'participant/language reads per message once warm = 0': {
        value: participantReads(remediated),
        met: participantReads(remediated) === 0,
      },
      [`send → participant p95 ≤ ${P95_GOAL_MS} ms (translation included)`]: {
        value: remediated.sendP95,
        met: remediated.sendP95 <= P95_GOAL_MS,
      },
      'every participant gets every message of its session exactly once (lost + duplicated = 0)': {
        value: lostOrDuplicated,
        met: lostOrDuplicated === 0 && remediated.failedToJoin === 0,
      },
    };
    const met = Object.values(goals).filter((goal) => goal['met'] === true).length;
    const statementsOf = (outcome: ChatLoadOutcome) =>
      sumOf(outcome.workerStatementsPerMessage, outcome.apiStatementsPerMessage);
    return {
      sessions,
      'participants per session': participants,
      languages: LANGUAGES.length,
      'provider answer ms (fixed)': PROVIDER_MS,
      'seconds measured (after one warm-up round)': seconds,
      'message interval per session, ms': intervalMs,
      'goals met': `${met}/${Object.keys(goals).length}`,
      goals,
      remediated: metricsOf(remediated),
      [`per-participant design (${flawedSessions} sessions, katas/mi-1-per-participant-delivery.flawed.ts)`]:
        metricsOf(flawed),
      'per-participant ÷ remediated': {
        'provider calls per message': ratio(
          flawed.providerCallsPerMessage,
          remediated.providerCallsPerMessage,
        ),
        'participant/language reads per message': ratio(
          participantReads(flawed),
          participantReads(remediated),
        ),
        'reads per message': ratio(statementsOf(flawed).reads, statementsOf(remediated).reads),
        'statements per message (reads + writes)': ratio(
          statementsOf(flawed).reads + statementsOf(flawed).writes,
          statementsOf(remediated).reads + statementsOf(remediated).writes,
        ),
        'send → participant p95': ratio(flawed.sendP95, remediated.sendP95),
      },
    };
  },
});
