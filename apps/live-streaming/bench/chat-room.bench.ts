import { randomUUID } from 'node:crypto';
import { defineBench, type BenchResult } from '@remedy/testing';
import { signAccessToken } from '../findings/support/access-tokens.js';
import type { ChatInstanceJob } from '../findings/support/chat-instance-child.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStreamer } from '../findings/support/seed-live-stream.js';
import { spawnChatInstance, type ChatInstance } from '../findings/support/spawn-chat-instance.js';
import { testConfig } from '../findings/support/test-config.js';
import {
  CHAT_CLIENT_PROCESSES,
  CHAT_FRAME_WINDOW_MS,
  CHAT_LATENCY_SHARE,
  CHAT_MESSAGES_PER_SECOND,
  CHAT_SECONDS,
  CHAT_SOCKETS,
} from './support/bench-settings.js';
import { ChatClientProcess } from './support/chat-client-processes.js';
import type { ChatClientsJob, ChatClientsResult } from './support/chat-clients.child.js';
import { LatencyHistogram } from './support/latency-histogram.js';
import {
  eventLoopDelayMaxMs,
  scrapeMetrics,
  serverCounts,
  serverDeliverySplit,
} from './support/server-delivery-split.js';

const INSTANCES = 2;
/**
 * Senders per message per second: each sender sends every SENDERS_PER_RATE seconds, well inside the per-user
 * chat limit (5 per 5 s), so the room's rate is the bench's and no send is refused for the sender's pace.
 */
const SENDERS_PER_RATE = 2;
const P99_GOAL_MS = 250;

function sumRecords(records: Array<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records)
    for (const [key, value] of Object.entries(record)) total[key] = (total[key] ?? 0) + value;
  return total;
}

/** One value per API instance, by its number (1, 2, …). */
function byInstance<T>(values: readonly T[], value: (of: T) => number): Record<string, number> {
  return Object.fromEntries(values.map((of, index) => [`instance ${index + 1}`, value(of)]));
}

function megabytes(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

export default defineBench({
  name: 'live-streaming: one chat room of 8,000 sockets over two API instances, 20 messages/s (delivery p50/p99, lost, server RSS per socket)',
  harness: liveStreamingHarness,
  async run(ctx) {
    const sockets = Math.round(CHAT_SOCKETS);
    const processes = Math.max(1, Math.min(Math.round(CHAT_CLIENT_PROCESSES), sockets));
    const senders = Math.max(1, Math.round(CHAT_MESSAGES_PER_SECOND * SENDERS_PER_RATE));
    const sendIntervalMs = (senders / CHAT_MESSAGES_PER_SECOND) * 1000;
    const perInstance = Math.ceil(sockets / INSTANCES);
    // The service's own limit per instance (CHAT_MAX_CONNECTIONS, 5,000) holds 8,000 over two; raised only for
    // a larger room than that.
    const overrides: Record<string, string> = {
      CHAT_FRAME_WINDOW_MS: String(Math.round(CHAT_FRAME_WINDOW_MS)),
      ...(perInstance > 5_000 && { CHAT_MAX_CONNECTIONS: String(perInstance) }),
    };
    const config = testConfig(ctx, overrides);
    const { streamId } = await seedLiveStreamer(ctx.pool, 'bench_chat_streamer');
    // The senders are members with profiles, as a room's are: their names come from the profile cache, not from a
    // database miss on every line (a token for a user that does not exist reads Postgres each time).
    const { rows: senderRows } = await ctx.pool.query<{ id: string }>(
      `WITH sender AS (
         INSERT INTO users (email, password_hash)
         SELECT 'bench_sender_' || n || '@example.com', 'seeded' FROM generate_series(0, $1 - 1) AS n
         RETURNING id, email
       )
       INSERT INTO profiles (user_id, username, display_name)
       SELECT id, split_part(email, '@', 1), split_part(email, '@', 1) FROM sender RETURNING user_id AS id`,
      [senders],
    );
    const senderIds = senderRows.map((row) => row.id);

    const job: ChatInstanceJob = {
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides,
      hub: 'real',
    };
    const instances: ChatInstance[] = [];
    const clients: ChatClientProcess[] = [];
    try {
      // Each instance in its own Node process, sharing only PostgreSQL and Redis.
      for (let index = 0; index < INSTANCES; index += 1) instances.push(await spawnChatInstance(job));
      // What both instances hold after a full collection.
      const rssAfterGc = async (): Promise<number> =>
        (await Promise.all(instances.map((instance) => instance.residentSetBytesAfterGc()))).reduce(
          (total, bytes) => total + bytes,
          0,
        );
      const rssIdle = await rssAfterGc();
      ctx.log(`${INSTANCES} API instances listening; opening ${sockets} sockets from ${processes} processes`);

      // A line per 1,000 sockets joined: opening thousands takes a while on a busy machine.
      const openedBy: number[] = [];
      let logged = 0;
      const onProgress = (client: number, opened: number): void => {
        openedBy[client] = opened;
        const total = openedBy.reduce((sum, count) => sum + count, 0);
        if (total - logged < 1_000) return;
        logged = total;
        ctx.log(`  … ${total} sockets joined`);
      };
      // Socket g (global) is a sender when g is a multiple of sockets/senders: senders spread over processes
      // and instances alike.
      const senderEvery = Math.max(1, Math.floor(sockets / senders));
      const opening = performance.now();
      let first = 0;
      for (let index = 0; index < processes; index += 1) {
        const count = Math.floor(sockets / processes) + (index < sockets % processes ? 1 : 0);
        const mine: ChatClientsJob['senders'] = [];
        for (let socket = 0; socket < count; socket += 1) {
          const global = first + socket;
          if (global % senderEvery === 0 && global / senderEvery < senders)
            mine.push({ socket, ordinal: global / senderEvery });
        }
        const senderOf = new Map(mine.map(({ socket, ordinal }) => [socket, senderIds[ordinal]!]));
        const tokens = await Promise.all(
          Array.from({ length: count }, (_, socket) =>
            signAccessToken(config, senderOf.get(socket) ?? randomUUID()),
          ),
        );
        const clientJob: ChatClientsJob = {
          streamId,
          // Socket i of this process goes to instance (first + i) % INSTANCES: the room splits evenly.
          wsUrls: instances.map((_, offset) => instances[(first + offset) % INSTANCES]!.wsUrl),
          tokens,
          senders: mine,
          sendIntervalMs,
          roomSenders: senders,
          seconds: CHAT_SECONDS,
          latencyShare: CHAT_LATENCY_SHARE,
        };
        openedBy.push(0);
        clients.push(new ChatClientProcess(clientJob, (opened) => onProgress(index, opened)));
        first += count;
      }
      // Memory per socket: what the instances hold after a full collection with half the room and with all of
      // it (start-up's garbage is long collected by half-way, so the difference is the sockets').
      const halfOpened = (await Promise.all(clients.map((client) => client.half()))).reduce(
        (total, report) => total + report.opened,
        0,
      );
      const rssHalf = await rssAfterGc();
      const ready = await Promise.all(clients.map((client) => client.resume()));
      const opened = ready.reduce((total, report) => total + report.opened, 0);
      const openSeconds = (performance.now() - opening) / 1000;
      const rssJoined = await rssAfterGc();
      ctx.log(
        `${opened} sockets joined the room in ${openSeconds.toFixed(1)} s; sending for ${CHAT_SECONDS} s`,
      );

      const instanceCpuBefore = instances.map((instance) => instance.cpuSeconds());
      // Scraped once before the sending: the event-loop delay the next scrape reads is then the sending's.
      await Promise.all(instances.map((instance) => scrapeMetrics(instance.url)));
      const startAt = Date.now() + 500;
      const progress = setInterval(
        () => ctx.log(`  … ${Math.round((Date.now() - startAt) / 1000)} s`),
        10_000,
      );
      let sentReports: Array<Awaited<ReturnType<ChatClientProcess['go']>>>;
      let rssUnderLoad: number;
      try {
        const sending = Promise.all(clients.map((client) => client.go(startAt)));
        // Halfway through the sending: the servers' memory with every socket's queue in use.
        await new Promise((resolve) => setTimeout(resolve, 500 + (CHAT_SECONDS * 1000) / 2));
        rssUnderLoad = instances.reduce((total, instance) => total + instance.residentSetBytes(), 0);
        sentReports = await sending;
      } finally {
        clearInterval(progress);
      }
      const sentIds = sentReports.flatMap((report) => report.sent);
      const errorFrames = sentReports.reduce((total, report) => total + report.refused, 0);
      // Published: every message some socket has received by now (an error frame does not prove it was not).
      const published = new Set(sentReports.flatMap((report) => report.seen)).size;
      const results: ChatClientsResult[] = await Promise.all(
        clients.map((client) => client.expect(published)),
      );

      const instanceCpu = instances.map(
        (instance, index) => instance.cpuSeconds() - instanceCpuBefore[index]!,
      );
      const scrapes = await Promise.all(instances.map((instance) => scrapeMetrics(instance.url)));
      const split = serverDeliverySplit(scrapes);
      const histogram = new LatencyHistogram();
      for (const result of results) histogram.add(result.latency);
      const received = results.reduce((total, result) => total + result.received, 0);
      const frames = results.reduce((total, result) => total + result.frames, 0);
      // Per message sent: the sockets it reached (all processes), against the sockets in the room.
      let lost = 0;
      let duplicates = 0;
      let reachedNoOne = 0;
      for (const id of sentIds) {
        const reached = results.reduce((total, result) => total + (result.deliveries[id] ?? 0), 0);
        if (reached === 0) reachedNoOne += 1;
        else {
          lost += Math.max(0, opened - reached);
          duplicates += Math.max(0, reached - opened);
        }
      }
      // A send answered by an error frame may not have been published; one that reached no one without an
      // error frame was lost silently.
      const silentlyDropped = Math.max(0, reachedNoOne - errorFrames);
      if (errorFrames > 0)
        for (const [index, instance] of instances.entries())
          ctx.log(`instance ${index + 1} printed:\n${instance.output().slice(-1_500)}`);
      const p50 = histogram.percentile(50);
      const p99 = histogram.percentile(99);
      const meanMs = Math.round(histogram.mean() * 10) / 10;
      const clientCpuShare = Math.round(
        (results.reduce((total, result) => total + result.cpuSeconds, 0) / CHAT_SECONDS) * 100,
      );
      ctx.log(
        `${sentIds.length - reachedNoOne} messages published; ${received} deliveries, ${lost} lost; p50 ${p50} ms, p99 ${p99} ms`,
      );
      ctx.log(
        [
          `delivery mean ${meanMs} ms = servers (mean, p50 / p99):`,
          `send → publish ${split.mean.sendToPublish} (${split.p50.sendToPublish} / ${split.p99.sendToPublish}),`,
          `publish → read ${split.mean.transit} (${split.p50.transit} / ${split.p99.transit}),`,
          `window wait ${split.mean.frameWait} (${split.p50.frameWait} / ${split.p99.frameWait}),`,
          `half the fan-out span ${split.mean.fanOut} (span ${split.p50.fanOut} / ${split.p99.fanOut}),`,
          `+ the rest (clients, loopback) ${Math.round((meanMs - split.mean.sum) * 10) / 10};`,
          `CPU % of one core: instances ${instanceCpu.map((seconds) => Math.round((seconds / CHAT_SECONDS) * 100)).join(' + ')}, clients ${clientCpuShare}`,
        ].join(' '),
      );

      const goals: Record<string, BenchResult> = {
        [`delivery p99 ≤ ${P99_GOAL_MS} ms`]: { value: p99, met: p99 <= P99_GOAL_MS },
        '0 messages lost (deliveries of published messages missing + sends dropped without an error)': {
          value: lost + silentlyDropped,
          met: lost + silentlyDropped === 0,
        },
      };
      const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
      return {
        sockets: opened,
        'API instances (processes)': INSTANCES,
        'client processes': processes,
        'messages per second': CHAT_MESSAGES_PER_SECOND,
        seconds: CHAT_SECONDS,
        'frame window ms (CHAT_FRAME_WINDOW_MS)': Math.round(CHAT_FRAME_WINDOW_MS),
        senders,
        'goals met': `${met}/${Object.keys(goals).length}`,
        goals,
        'seconds to open, authenticate and join every socket': Math.round(openSeconds * 10) / 10,
        'joins tried again after a retryable error (unavailable)': ready.reduce(
          (total, report) => total + report.joinRetries,
          0,
        ),
        'messages sent': sentIds.length,
        'error frames answering a send': errorFrames,
        'error frames by code': sumRecords(sentReports.map((report) => report.codes)),
        'messages that reached no viewer': reachedNoOne,
        'deliveries expected (messages published × sockets)': (sentIds.length - reachedNoOne) * opened,
        'deliveries received': received,
        'frames received (CHAT_FRAME_WINDOW_MS batches messages into frames)': frames,
        'messages per frame': Math.round((received / Math.max(1, frames)) * 100) / 100,
        'deliveries lost (published, not received)': lost,
        'deliveries duplicated': duplicates,
        'sockets closed by the server, by close code': sumRecords(
          results.map((result) => result.closedByServer),
        ),
        "latency sample: sockets timed (uniformly random, the same share of each instance's sockets in each client process; every socket counted for lost)":
          results.reduce((total, result) => total + result.timedSockets, 0),
        'latency sample: deliveries timed': histogram.count,
        'delivery p50 ms (send → each timed viewer)': p50,
        'delivery p99 ms': p99,
        'delivery max ms': histogram.percentile(100),
        'server RSS idle after a full GC, MB (both instances)': megabytes(rssIdle),
        'server RSS with every socket joined, after a full GC, MB': megabytes(rssJoined),
        'server RSS halfway through the sending, MB': megabytes(rssUnderLoad),
        'server RSS with half the sockets joined, after a full GC, MB': megabytes(rssHalf),
        'server RSS per socket, KB (after a full GC: all joined − half joined, ÷ the sockets between)':
          Math.round(((rssJoined - rssHalf) / Math.max(1, opened - halfOpened) / 1024) * 10) / 10,
        'client processes CPU (% of one core)': clientCpuShare,
        'API instances CPU while sending (% of one core, each)': byInstance(instanceCpu, (seconds) =>
          Math.round((seconds / CHAT_SECONDS) * 100),
        ),
        "API instances' event-loop delay max while sending, ms (each)": byInstance(
          scrapes,
          eventLoopDelayMaxMs,
        ),
        'delivery mean ms': meanMs,
        "server split, mean ms (instances' /metrics: send → publish, publish → read from Redis, frame window wait, half the fan-out span; means add up)":
          split.mean,
        "client side, mean ms (delivery mean − the servers' mean: client send and receive, loopback)":
          Math.round((meanMs - split.mean.sum) * 10) / 10,
        'server parts, p50 ms (fan-out: the whole span, per frame)': split.p50,
        "server parts, p99 ms (quantiles do not add: no part of a p99 is the client's by subtraction)":
          split.p99,
        'server counts (frames fanned out, messages read from Redis, both instances)': serverCounts(scrapes),
      };
    } finally {
      for (const client of clients) client.kill();
      await Promise.all(instances.map((instance) => instance.stop()));
    }
  },
});
