import { METRICS_REGISTRY } from '@remedy/observability';
import type {
  IsolatedContext,
  LatencyDistribution,
  ProviderPlug,
  TranslationCallRecord,
} from '@remedy/testing';
import type { Histogram, Registry } from 'prom-client';

type BenchContext = Omit<IsolatedContext, 'dispose'>;
import { signAccessToken } from '../../findings/support/access-tokens.js';
import { ApiClient } from '../../findings/support/api-client.js';
import type { ChatInstanceJob } from '../../findings/support/chat-instance-child.js';
import { spawnChatInstance, type ChatInstance } from '../../findings/support/spawn-chat-instance.js';
import { startTestWorker, type TestWorker } from '../../findings/support/start-test-worker.js';
import { testConfig } from '../../findings/support/test-config.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../../findings/support/translation-providers.js';
import { seedSessionViewers } from '../../findings/support/viewer-seed.js';
import {
  ChatClientProcess,
  fanOutLag,
  histogramPercentile,
  mergeResults,
  ownTime,
  sendLatency,
} from './chat-client-process.js';
import type { ClientSocketJob } from './chat-clients.child.js';
import {
  scrapeStatementsOf,
  statementsBetween,
  sumStatements,
  tallyStatementsOf,
  type StatementCounts,
} from './statement-tally.js';

const INSTANCES = 2;
/** The service's own per-instance limit (CHAT_MAX_CONNECTIONS); a scenario past it raises it for the run. */
const DEFAULT_MAX_CONNECTIONS = 5_000;
/** How long the clients wait, after the last send, for the last deliveries before counting the rest lost. */
const SETTLE_MS = 15_000;

export interface ChatLoadScenario {
  sessions: number;
  /** Participants per session, each with a socket; the first of each session speaks. */
  participants: number;
  /** Participant i of a session reads it in `languages[i % languages.length]`; the speaker in the first. */
  languages: readonly string[];
  /** Each speaker sends a message every `intervalMs` for `seconds`. */
  intervalMs: number;
  seconds: number;
  clientProcesses: number;
  providerLatency: LatencyDistribution;
  /** TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR for the run; unset: the service's default. */
  maxCallsInFlightPerPair?: number;
  /** Names the run's seeded users, so two runs can share a database (default 'bench'). */
  label?: string;
  /** Providers of the worker replaced for the run (a kata's design at the worker's seam); none: the service's. */
  workerPlugs?: readonly ProviderPlug[];
  /**
   * Rounds each speaker sends before the measured window (default 0), all delivered before it starts: the
   * caches are warm, and the statements, calls and latencies counted are a warm service's.
   */
  warmUpRounds?: number;
}

export interface ChatLoadOutcome {
  sockets: number;
  failedToJoin: number;
  openSeconds: number;
  messagesSent: number;
  refused: number;
  deliveriesExpected: number;
  deliveriesLost: number;
  deliveriesDuplicated: number;
  messagesPerSecondDelivered: number;
  framesPerSocket: number;
  messagesPerFrame: number;
  /** p50/p95/p99 of each copy's send (the speaker's socket) → participant time, translation included. */
  sendP50: number;
  sendP95: number;
  sendP99: number;
  /** The same from the message's store time (its `sentAt`), the rest of the figures' starting point. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** p50/p99 of each copy's lag behind its message's first copy: the fan-out, without the translation wait. */
  fanOutP50: number;
  fanOutP99: number;
  /** p50/p99 over messages of the emulated provider latency a message waited for: its slowest engine call's. */
  providerP50: number;
  providerP99: number;
  /** Store → socket less that provider latency: the service's own time (see ownTime). */
  ownP50: number;
  ownP95: number;
  ownP99: number;
  /**
   * p50/p99 of the time texts waited in the worker's batcher for their provider call (the batch window plus any
   * wait behind the pair's calls already out), as the upper bound of the translation_batch_wait_seconds bucket.
   */
  batchWaitP50: number;
  batchWaitP99: number;
  providerCallsPerMessage: number;
  translationsPerMessage: number;
  /** The measured window's statements per message sent: the worker's (with their SQL) and both API instances'. */
  workerStatementsPerMessage: StatementCounts;
  apiStatementsPerMessage: StatementCounts;
  rssPerSocketKb: number;
  rssJoinedMb: number;
  closedByServer: Record<number, number>;
}

/** Sessions of live organisation `organisationId`, straight into the table (no API call per session). */
async function seedLiveSessions(
  ctx: BenchContext,
  organiser: { organisationId: string; id: string },
  count: number,
): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `INSERT INTO sessions (organisation_id, organiser_id, title, source_language, status, started_at)
     SELECT $1, $2, 'Bench session ' || n, 'en', 'live', now() FROM generate_series(1, $3::int) AS n
     RETURNING id`,
    [organiser.organisationId, organiser.id, count],
  );
  return rows.map((row) => row.id);
}

/** The p-th percentile (0–100) of a prom-client histogram, in ms: the upper bound of the bucket it falls in. */
async function bucketPercentileMs(registry: Registry, name: string, p: number): Promise<number> {
  const metric = await (registry.getSingleMetric(name) as Histogram | undefined)?.get();
  const buckets = (metric?.values ?? [])
    .filter((value) => value.metricName === `${name}_bucket`)
    .map((value) => ({ le: Number(value.labels['le']), count: value.value }))
    .sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const bucket = buckets.find((candidate) => candidate.count >= Math.ceil((p / 100) * total));
  return Math.round((bucket?.le ?? Infinity) * 1_000);
}

/**
 * By message id, the emulated latency of the slowest engine call that carried the message's text: the time its
 * delivery waited on the provider itself, which a real provider spends too and the service cannot shorten.
 */
function providerLatencyByMessage(
  messages: ReadonlyArray<{ id: string; text: string }>,
  calls: ReadonlyArray<TranslationCallRecord>,
): Map<string, number> {
  const byText = new Map<string, number>();
  for (const call of calls)
    for (const text of call.texts) byText.set(text, Math.max(byText.get(text) ?? 0, call.latencyMs));
  return new Map(messages.map((message) => [message.id, Math.round(byText.get(message.text) ?? 0)]));
}

/**
 * polyglot-a:MI-1, polyglot-b:M-5: `sessions` live sessions of `participants` sockets each, spread evenly over two
 * API instances in separate processes and driven from client processes; the worker (this process) translates
 * each message into its session's languages with the Google emulator answering after `providerLatency`. Latency is
 * a message's store time (its `sentAt`) to its arrival at each socket; every socket of a session must get each of
 * its messages exactly once.
 */
export async function runChatLoad(
  ctx: BenchContext,
  scenario: ChatLoadScenario,
  log: (line: string) => void,
): Promise<ChatLoadOutcome> {
  const sockets = scenario.sessions * scenario.participants;
  const perInstance = Math.ceil(sockets / INSTANCES);
  let providers: TranslationProviders | undefined;
  const instances: ChatInstance[] = [];
  const clients: ChatClientProcess[] = [];
  let worker: TestWorker | undefined;
  try {
    providers = await startTranslationProviders({ google: { latency: scenario.providerLatency } });
    const overrides: Record<string, string> = {
      ...providers.env,
      ...(perInstance > DEFAULT_MAX_CONNECTIONS && { CHAT_MAX_CONNECTIONS: String(perInstance + 10) }),
      ...(scenario.maxCallsInFlightPerPair !== undefined && {
        TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR: String(scenario.maxCallsInFlightPerPair),
      }),
    };
    const job: ChatInstanceJob = {
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides,
      registry: 'redis',
    };
    for (let index = 0; index < INSTANCES; index += 1) instances.push(await spawnChatInstance(job));
    worker = await startTestWorker(ctx, overrides, scenario.workerPlugs);
    const config = testConfig(ctx, overrides);
    const label = scenario.label ?? 'bench';

    const organiser = (await new ApiClient(instances[0]!.url).signup(`${label}_organiser@example.com`)).user;
    const sessionIds = await seedLiveSessions(ctx, organiser, scenario.sessions);
    const socketJobs: ClientSocketJob[] = [];
    for (const [index, sessionId] of sessionIds.entries()) {
      const participants = await seedSessionViewers(
        ctx.pool,
        { id: sessionId, organisationId: organiser.organisationId },
        scenario.participants,
        scenario.languages,
        `${label}_s${index}_p`,
      );
      for (const [ordinal, participant] of participants.entries())
        socketJobs.push({
          // Socket g goes to instance g % 2: every session, large or small, spans both instances.
          wsUrl: instances[socketJobs.length % INSTANCES]!.wsUrl,
          token: await signAccessToken(config, participant.userId),
          sessionId,
          // Session i's speaker speaks i/sessions of the way into each interval: a steady stream, not a burst.
          ...(ordinal === 0 && {
            senderId: `s${index}`,
            phaseMs: Math.floor((index * scenario.intervalMs) / sessionIds.length),
          }),
        });
    }
    log(`${INSTANCES} API instances, ${sessionIds.length} sessions seeded; opening ${sockets} sockets`);

    const rssIdle = instances.reduce((total, instance) => total + instance.residentSetBytes(), 0);
    const opening = performance.now();
    const processes = Math.max(1, Math.min(scenario.clientProcesses, socketJobs.length));
    for (let index = 0; index < processes; index += 1)
      clients.push(
        new ChatClientProcess({
          sockets: socketJobs.filter((_, socket) => socket % processes === index),
          openBatch: 200,
        }),
      );
    const ready = await Promise.all(clients.map((client) => client.ready));
    const opened = ready.reduce((total, report) => total + report.opened, 0);
    const failedToJoin = ready.reduce((total, report) => total + report.failed, 0);
    const openSeconds = (performance.now() - opening) / 1000;
    const rssJoined = instances.reduce((total, instance) => total + instance.residentSetBytes(), 0);
    log(
      `${opened} sockets joined in ${openSeconds.toFixed(1)} s (${failedToJoin} failed); sending for ${scenario.seconds} s`,
    );

    const warmUpRounds = scenario.warmUpRounds ?? 0;
    if (warmUpRounds > 0) {
      const warmUpAt = Date.now() + 500;
      const warmUpSeconds = (warmUpRounds * scenario.intervalMs) / 1000;
      const warmUp = await Promise.all(
        clients.map((client) => client.go(warmUpAt, scenario.intervalMs, warmUpSeconds)),
      );
      const warmUpMessages = warmUp.flatMap((report) => report.messages);
      await Promise.all(clients.map((client) => client.expect(warmUpMessages, SETTLE_MS, false)));
      log(`warm-up: ${warmUpMessages.length} messages delivered; measuring`);
    }

    const workerStatements = tallyStatementsOf(config.database.applicationName);
    const apiStatementsBefore = await Promise.all(
      instances.map((instance) => scrapeStatementsOf(instance.url)),
    );
    const callsBefore = providers.google.calls.length;
    const fallbackCallsBefore = providers.deepl.calls.length;
    const segmentsBefore = providers.google.segmentsTranslated;
    const startAt = Date.now() + 500;
    const sent = await Promise.all(
      clients.map((client) => client.go(startAt, scenario.intervalMs, scenario.seconds, warmUpRounds)),
    );
    const messages = sent.flatMap((report) => report.messages);
    const result = mergeResults(
      await Promise.all(clients.map((client) => client.expect(messages, SETTLE_MS))),
    );
    const sendingSeconds = (Date.now() - startAt) / 1000;
    const workerCounts = workerStatements.stop();
    const apiCounts = sumStatements(
      await Promise.all(
        instances.map(async (instance, index) =>
          statementsBetween(apiStatementsBefore[index]!, await scrapeStatementsOf(instance.url)),
        ),
      ),
    );
    const perMessage = (counts: StatementCounts): StatementCounts => {
      const of = (count: number) => Math.round((count / Math.max(1, messages.length)) * 100) / 100;
      return {
        reads: of(counts.reads),
        participantReads: of(counts.participantReads),
        writes: of(counts.writes),
        other: of(counts.other),
      };
    };

    const perSession = new Map<string, number>();
    for (const job of socketJobs) perSession.set(job.sessionId, (perSession.get(job.sessionId) ?? 0) + 1);
    let expected = 0;
    let lost = 0;
    for (const message of messages) {
      const audience = perSession.get(message.sessionId) ?? 0;
      expected += audience;
      lost += Math.max(0, audience - (result.deliveries[message.id] ?? 0));
    }
    const providerMs = providerLatencyByMessage(messages, [
      ...providers.google.calls.slice(callsBefore),
      ...providers.deepl.calls.slice(fallbackCallsBefore),
    ]);
    const providerHistogram: Record<number, number> = {};
    for (const ms of providerMs.values()) providerHistogram[ms] = (providerHistogram[ms] ?? 0) + 1;
    const own = ownTime(result.latencyById, providerMs);
    const fromSend = sendLatency(
      result.latencyById,
      result.storedAt,
      new Map(messages.map((message) => [message.id, message.sentAt])),
    );
    const registry = worker.app.get<Registry>(METRICS_REGISTRY);
    const delivered = messages.filter((message) => (result.deliveries[message.id] ?? 0) > 0).length;
    return {
      sockets: opened,
      failedToJoin,
      openSeconds: Math.round(openSeconds * 10) / 10,
      messagesSent: messages.length,
      refused: sent.reduce((total, report) => total + report.refused, 0),
      deliveriesExpected: expected,
      deliveriesLost: lost,
      deliveriesDuplicated: result.duplicates,
      messagesPerSecondDelivered: Math.round((delivered / sendingSeconds) * 10) / 10,
      framesPerSocket: Math.round((result.messageFrames / Math.max(1, opened)) * 10) / 10,
      messagesPerFrame: Math.round((result.received / Math.max(1, result.messageFrames)) * 100) / 100,
      sendP50: histogramPercentile(fromSend, 50),
      sendP95: histogramPercentile(fromSend, 95),
      sendP99: histogramPercentile(fromSend, 99),
      p50: histogramPercentile(result.latency, 50),
      p95: histogramPercentile(result.latency, 95),
      p99: histogramPercentile(result.latency, 99),
      max: histogramPercentile(result.latency, 100),
      fanOutP50: histogramPercentile(fanOutLag(result.latencyById), 50),
      fanOutP99: histogramPercentile(fanOutLag(result.latencyById), 99),
      providerP50: histogramPercentile(providerHistogram, 50),
      providerP99: histogramPercentile(providerHistogram, 99),
      ownP50: histogramPercentile(own, 50),
      ownP95: histogramPercentile(own, 95),
      ownP99: histogramPercentile(own, 99),
      batchWaitP50: await bucketPercentileMs(registry, 'translation_batch_wait_seconds', 50),
      batchWaitP99: await bucketPercentileMs(registry, 'translation_batch_wait_seconds', 99),
      providerCallsPerMessage:
        Math.round(((providers.google.calls.length - callsBefore) / Math.max(1, messages.length)) * 100) /
        100,
      translationsPerMessage:
        Math.round(
          ((providers.google.segmentsTranslated - segmentsBefore) / Math.max(1, messages.length)) * 100,
        ) / 100,
      workerStatementsPerMessage: perMessage(workerCounts),
      apiStatementsPerMessage: perMessage(apiCounts),
      rssPerSocketKb: Math.round(((rssJoined - rssIdle) / Math.max(1, opened) / 1024) * 10) / 10,
      rssJoinedMb: Math.round((rssJoined / 2 ** 20) * 10) / 10,
      closedByServer: result.closedByServer,
    };
  } finally {
    for (const client of clients) client.kill();
    await Promise.all(instances.map((instance) => instance.stop()));
    await worker?.close();
    await providers?.stop();
  }
}
