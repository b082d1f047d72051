import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  BenchChild,
  cpuSecondsOfProcesses,
  defineBench,
  percentile,
  randomSampleByGroup,
  total,
  type BenchResult,
} from '@remedy/testing';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { testConfig, testEnvironment } from '../findings/support/test-config.js';
import { parseConfig } from '../src/config.js';
import { startApiInstance, type ApiInstanceProcess } from './support/api-instance-process.js';
import {
  EDITOR_NICE,
  EDITOR_PROCESSES,
  EDITOR_UPDATES_PER_SECOND,
  EDITORS,
  EDITORS_SECONDS,
  TIMED_EDITORS,
} from './support/bench-settings.js';
import type { EditorsJob, EditorsReport, EditorsResult } from './support/editors.child.js';
import { seedDocument, seedOrganisation } from './support/seed-organisation.js';
import { eventLoopDelayMs, scrapeMetrics, serverFanOut } from './support/server-fan-out.js';
import { storedText } from './support/stored-text.js';
import { tableWrites, writeMark, writesBetween, writeTransactionsSince } from './support/table-writes.js';
import { writerTransactions } from './support/writer-transactions.js';

const INSTANCES = 2;
const ENTRY = new URL('./support/editors.child.ts', import.meta.url);
const P99_GOAL_MS = 50;
/** Rounds the editors join in, a share of every process's each. */
const JOIN_ROUNDS = 10;
/**
 * The review's bound on the database: at most one write per document every 2 s, judged as no span of 2 s (the
 * append window) holding two of the document's write transactions, from the writers' own counters (ADR 0097);
 * the mean rate, the transactions PostgreSQL saw and the rows they carry are reported beside it (ADR 0095).
 */
const WRITES_PER_SECOND_GOAL = 0.5;
/** How long the clients wait, after the last edit, for every edit to reach every editor before counting it lost. */
const SETTLE_MS = 15_000;

type Reported<T extends EditorsReport['type']> = Extract<EditorsReport, { type: T }>;

function byInstance<T, V>(values: readonly T[], value: (of: T) => V): Record<string, V> {
  return Object.fromEntries(values.map((of, index) => [`instance ${index + 1}`, value(of)]));
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

export default defineBench({
  name: 'documents: 200 editors on one document over two API instances, 100 updates/s (fan-out p50/p99, database writes per document, bytes per update, lost, converged)',
  harness: documentsHarness,
  async run(ctx) {
    const editors = Math.round(EDITORS);
    const processes = Math.max(1, Math.min(Math.round(EDITOR_PROCESSES), editors));
    const config = testConfig(ctx);
    const organisation = await seedOrganisation(ctx.pool, config, editors);
    const documentId = await seedDocument(
      ctx.pool,
      organisation.organisationId,
      organisation.editorIds[0]!,
      'bench',
    );

    const instances: ApiInstanceProcess[] = [];
    const children: BenchChild[] = [];
    try {
      // Each instance in its own Node process, sharing only PostgreSQL and Redis, as two pods would.
      for (let index = 0; index < INSTANCES; index += 1) instances.push(await startApiInstance(ctx));
      // Editor e (global) goes to instance e % INSTANCES: both instances hold half the editors. The timed ones, as
      // many of each instance's, edit and are timed in a process of their own at nice 0 (ADR 0099); the others
      // are spread over the load's processes.
      const timed = randomSampleByGroup(
        editors,
        (editor) => editor % INSTANCES,
        // At most half: the rest are the load.
        () => Math.min(TIMED_EDITORS, editors / 2) / INSTANCES,
      );
      ctx.log(
        `${INSTANCES} API instances listening; ${editors} editors joining: ${timed.size} timed in a process of their own, the others from ${processes} processes`,
      );
      const started: Array<Promise<Reported<'started'>>> = [];
      // Process `processes` (the last) is the timed editors'.
      for (let index = 0; index <= processes; index += 1) {
        const isTimed = index === processes;
        const mine = organisation.editorTokens
          .map((token, editor) => ({ token, editor }))
          .filter(({ editor }) =>
            isTimed ? timed.has(editor) : !timed.has(editor) && editor % processes === index,
          )
          .map(({ token, editor }) => ({ token, wsUrl: instances[editor % INSTANCES]!.wsUrl }));
        const job: EditorsJob = {
          documentId,
          editors: mine,
          editIntervalMs: (editors / EDITOR_UPDATES_PER_SECOND) * 1000,
          seconds: EDITORS_SECONDS,
          nice: isTimed ? 0 : EDITOR_NICE,
        };
        const child = new BenchChild(ENTRY, job);
        children.push(child);
        started.push(child.next('started'));
      }
      await Promise.all(started);
      // Every process joins a share of its editors at once, round after round: the timed editors join among the
      // others and sit at random places in each instance's fan-out order, not at its head.
      for (let round = 0; round < JOIN_ROUNDS; round += 1)
        await Promise.all(children.map((child) => child.round('join', 'joined', round, JOIN_ROUNDS)));
      // The writes of start-up (migrations, sessions) reported before the baseline: a backend reports when idle.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const mark = await writeMark(ctx.pool, documentId);
      const writesBefore = await tableWrites(ctx.pool);
      ctx.log(`every editor holds the document; editing for ${EDITORS_SECONDS} s`);

      // Resets the instances' event-loop delay monitors (prom-client does at each scrape): the next is the edits'.
      await Promise.all(instances.map((instance) => scrapeMetrics(instance.url)));
      const instanceCpuBefore = instances.map((instance) => cpuSecondsOfProcesses([instance.pid]));
      const startAt = Date.now() + 500;
      const sentReports = children.map((child) => child.next<Reported<'sent'>>('sent'));
      for (const child of children) child.send({ type: 'go', startAt });
      const sent = Object.assign(
        {},
        ...(await Promise.all(sentReports)).map((report) => report.sent),
      ) as Record<string, number>;
      const resultReports = children.map((child) => child.next<Reported<'result'>>('result'));
      for (const child of children) child.send({ type: 'expect', sent, settleMs: SETTLE_MS });
      const results: EditorsResult[] = (await Promise.all(resultReports)).map((report) => report.result);
      const editingSeconds = (Date.now() - startAt) / 1000;
      const instanceCpu = instances.map(
        (instance, index) => cpuSecondsOfProcesses([instance.pid]) - instanceCpuBefore[index]!,
      );
      const scrapes = await Promise.all(instances.map((instance) => scrapeMetrics(instance.url)));
      const servers = serverFanOut(scrapes);

      // The editors leave: each instance drops its copy, the writer's drain stores what is pending (the text due
      // with it) and leaves the lease released (ADR 0097); then the writers' counters hold every write.
      for (const child of children) child.kill();
      const leases = new Redis(ctx.redisUrl, { keyPrefix: `${ctx.prefix}:` });
      try {
        for (;;) {
          const lease = await leases.get(`collab-writer:${documentId}`);
          if (lease === null || lease.startsWith('released:')) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        leases.disconnect();
      }
      const writers = writerTransactions(
        await Promise.all(instances.map((instance) => scrapeMetrics(instance.url))),
        // The instances' own window (their environment's; the tests' config shortens it).
        parseConfig(testEnvironment(ctx)).collaboration.appendWindow.windowMs,
      );
      // Stopped before PostgreSQL's view is read: its backends report on exit.
      await Promise.all(instances.map((instance) => instance.stop()));
      const transactions = await writeTransactionsSince(ctx.pool, documentId, mark);
      const commitsPerSecond = writers.total / editingSeconds;
      const written = writesBetween(writesBefore, await tableWrites(ctx.pool));
      const totalWrites = Object.values(written).reduce((total, count) => total + count, 0);
      const writesPerSecond = totalWrites / editingSeconds;

      // The timed editors' process reported last; the load's processes before it. The goal's deliveries are the
      // timed editors' edits to the other timed editors: both ends stamped in the process at nice 0 (ADR 0099).
      const timedResult = results.at(-1)!;
      const loadResults = results.slice(0, -1);
      const latencies = timedResult.withinLatenciesMs;
      const appliedLatencies = timedResult.withinAppliedLatenciesMs;
      const loadLatencies = loadResults.flatMap((result) => result.latenciesMs);
      const sum = (pick: (result: EditorsResult) => number): number =>
        results.reduce((total, result) => total + pick(result), 0);
      const deliveries = sum((result) => result.latenciesMs.length);
      const lost = sum((result) => result.lost);
      const serverText = await storedText(ctx.pool, documentId);
      const hashes = new Set([
        ...results.flatMap((result) => result.textHashes),
        createHash('sha256').update(serverText).digest('hex'),
      ]);
      const p50 = round(percentile(latencies, 50));
      const p99 = round(percentile(latencies, 99));
      const edits = Object.keys(sent).length;
      const errorCodes: Record<string, number> = {};
      const closed: Record<string, number> = {};
      for (const result of results) {
        for (const [code, count] of Object.entries(result.errorCodes))
          errorCodes[code] = (errorCodes[code] ?? 0) + count;
        for (const [code, count] of Object.entries(result.closedByServer))
          closed[code] = (closed[code] ?? 0) + count;
      }
      ctx.log(
        `${edits} edits; timed editors p50 ${p50} ms, p99 ${p99} ms (the load's p99 ${round(percentile(loadLatencies, 99))} ms); ${lost} lost; ${round(commitsPerSecond, 2)} transactions/s, ${round(writesPerSecond, 2)} rows written/s`,
      );

      const goals: Record<string, BenchResult> = {
        [`fan-out p99 ≤ ${P99_GOAL_MS} ms (the timed editors)`]: { value: p99, met: p99 <= P99_GOAL_MS },
        'database writes per document ≤ 1 per 2 s (the most write transactions in any 2-s span)': {
          value: writers.mostInAWindow,
          met: writers.mostInAWindow === '1',
        },
        '0 updates lost': { value: lost, met: lost === 0 },
        'every copy converged (editors and the stored document: distinct texts)': {
          value: hashes.size,
          met: hashes.size === 1,
        },
      };
      const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
      const updateFrames = sum((result) => result.updateFrames);
      const sentFrames = sum((result) => result.sentFrames);
      return {
        editors,
        'API instances (processes)': INSTANCES,
        'client processes (the load)': processes,
        'client processes nice (DOCS_BENCH_EDITOR_NICE)': EDITOR_NICE,
        'timed editors (DOCS_BENCH_TIMED_EDITORS: a random sample, as many of each instance, in a process of their own at nice 0)':
          timed.size,
        'updates per second (all editors)': EDITOR_UPDATES_PER_SECOND,
        seconds: EDITORS_SECONDS,
        'goals met': `${met}/${Object.keys(goals).length}`,
        goals,
        'edits sent': edits,
        'edits saved (acknowledged to their sender)': sum((result) => result.saved),
        'deliveries expected (edits × other editors)': edits * (editors - 1),
        'deliveries received (every editor)': deliveries,
        "deliveries timed (the timed editors' edits to the other timed editors)": latencies.length,
        'deliveries lost': lost,
        'deliveries duplicated': sum((result) => result.duplicates),
        'error frames by code': errorCodes,
        'sockets closed by the server, by close code': closed,
        "fan-out p50 ms (a timed editor's edit sent → each other timed editor)": p50,
        'fan-out p99 ms': p99,
        'fan-out max ms': round(percentile(latencies, 100)),
        // Beside the goal, not judged: every edit to the timed editors, most sent from the load's processes, and what
        // the editors in those processes saw, CPU-starved at nice 19 on the service's two cores (ADR 0099).
        "fan-out of every editor's edits to the timed editors, p50 / p99 ms": {
          p50: round(percentile(timedResult.latenciesMs, 50)),
          p99: round(percentile(timedResult.latenciesMs, 99)),
        },
        "fan-out as the load's processes saw it (the untimed editors), p50 / p99 ms": {
          p50: round(percentile(loadLatencies, 50)),
          p99: round(percentile(loadLatencies, 99)),
        },
        "fan-out to the edit applied in the other editor's Y.Doc, the timed editors' edits, p50 / p99 ms": {
          p50: round(percentile(appliedLatencies, 50)),
          p99: round(percentile(appliedLatencies, 99)),
        },
        'client processes: received frames per Yjs transaction (a process behind applies what queued at once)':
          round(
            sum((result) => result.batchedFrames) /
              Math.max(
                1,
                sum((result) => result.batches),
              ),
            2,
          ),
        "the timed editors' process's event-loop delay while editing, ms (p99, max)":
          timedResult.eventLoopDelayMs,
        "the load's client processes' event-loop delay while editing, worst of them, ms (p99, max)": {
          p99: Math.max(...loadResults.map((result) => result.eventLoopDelayMs.p99)),
          max: Math.max(...loadResults.map((result) => result.eventLoopDelayMs.max)),
        },
        'bytes per update on the wire, sent (JSON sync frame)': round(
          sum((result) => result.sentFrameBytes) / Math.max(1, sentFrames),
        ),
        'bytes per update on the wire, received': round(
          sum((result) => result.updateFrameBytes) / Math.max(1, updateFrames),
        ),
        "write transactions of the document, as its writers counted them (instances' /metrics), by kind":
          writers.byKind,
        'write transactions in all': writers.total,
        [`write transactions per second, mean (one document; ≤ ${WRITES_PER_SECOND_GOAL} beside the goal)`]:
          round(commitsPerSecond, 2),
        'gaps between consecutive write transactions timed, and those of a window or less by kind': {
          timed: writers.gapsTimed,
          ...writers.gapsOfAWindowOrLess,
        },
        'most write transactions in any 2-s span': writers.mostInAWindow,
        "cross-check: the document's write transactions PostgreSQL saw (distinct xmin of its windows and change rows; takeovers; their sum an upper bound)":
          { ...transactions },
        'rows written by the service during the edits, by table (pg_stat_user_tables)': written,
        'rows written per second (one document; beside the goal, not judged: ADR 0095)': round(
          writesPerSecond,
          2,
        ),
        // One row per window, written by the document's one writer (ADR 0086); the search text rides in a
        // window's transaction, so its rows (documents, outbox_messages) add no transaction of their own.
        'windows stored per second (document_updates rows)': round(
          (written['document_updates'] ?? 0) / editingSeconds,
          2,
        ),
        'rows written per update': round(totalWrites / Math.max(1, edits), 2),
        'document characters at the end': serverText.length,
        "client processes CPU, the timed editors' included (% of one core)": Math.round(
          (sum((result) => result.cpuSeconds) / editingSeconds) * 100,
        ),
        // What the load generator costs whatever CPU it got: on a busy machine its CPU % is what it was given.
        'client processes CPU per delivery, µs (received and applied to one Y.Doc)': Math.round(
          (sum((result) => result.cpuSeconds) / Math.max(1, deliveries)) * 1e6,
        ),
        'API instances CPU (% of one core, each)': byInstance(instanceCpu, (seconds) =>
          Math.round((seconds / editingSeconds) * 100),
        ),
        "API instances' event-loop delay while editing, ms (each: p99, max)": byInstance(
          scrapes,
          eventLoopDelayMs,
        ),
        "server fan-out (instances' /metrics): edit handled on its sender's instance → frame handed to the kernel for every socket there (ms)":
          servers.local,
        '… and on the other instance, through Redis (ms)': servers.relayed,
        '… of which PUBLISH → read by the other instance (ms)': servers.transit,
        // An edit lost on the Redis channel, or one a copy reported unacknowledged for a lease tick (ADR 0086).
        "copies' requests for edits they lacked, the writer's and the others' (instances' /metrics)": total(
          scrapes.join('\n'),
          'documents_collab_missing_requests_total',
        ),
        // A copy loaded asking the writer for what it lacks: one per copy loaded, more only while unanswered.
        "copies' requests, once loaded, for what the writer held that they lacked (instances' /metrics)":
          total(scrapes.join('\n'), 'documents_collab_catch_up_requests_total'),
      };
    } finally {
      for (const child of children) child.kill();
      await Promise.all(instances.map((instance) => instance.stop()));
    }
  },
});
