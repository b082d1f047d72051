import { randomUUID } from 'node:crypto';
import { defineBench, type BenchResult } from '@remedy/testing';
import { signAccessToken } from '../findings/support/access-tokens.js';
import type { ChatInstanceJob } from '../findings/support/chat-instance-child.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStream } from '../findings/support/seed-live-stream.js';
import { spawnChatInstance, type ChatInstance } from '../findings/support/spawn-chat-instance.js';
import { testConfig } from '../findings/support/test-config.js';
import {
  CHAT_CLIENT_PROCESSES,
  CHAT_MESSAGES_PER_SECOND,
  CHAT_SECONDS,
  CHAT_SOCKETS,
} from './support/bench-settings.js';
import { ChatClientProcess } from './support/chat-client-processes.js';
import type { ChatClientsJob, ChatClientsResult } from './support/chat-clients.child.js';
import { LatencyHistogram } from './support/latency-histogram.js';

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
    const overrides: Record<string, string> =
      perInstance > 5_000 ? { CHAT_MAX_CONNECTIONS: String(perInstance) } : {};
    const config = testConfig(ctx, overrides);
    const { streamId } = await seedLiveStream(ctx.pool, 'bench_chat_streamer');

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
      const rssIdle = instances.map((instance) => instance.residentSetBytes());
      ctx.log(`${INSTANCES} API instances listening; opening ${sockets} sockets from ${processes} processes`);

      // Socket g (global) is a sender when g is a multiple of sockets/senders: senders spread over processes
      // and instances alike.
      const senderEvery = Math.max(1, Math.floor(sockets / senders));
      const opening = performance.now();
      let first = 0;
      for (let index = 0; index < processes; index += 1) {
        const count = Math.floor(sockets / processes) + (index < sockets % processes ? 1 : 0);
        const tokens = await Promise.all(
          Array.from({ length: count }, () => signAccessToken(config, randomUUID())),
        );
        const mine: ChatClientsJob['senders'] = [];
        for (let socket = 0; socket < count; socket += 1) {
          const global = first + socket;
          if (global % senderEvery === 0 && global / senderEvery < senders)
            mine.push({ socket, ordinal: global / senderEvery });
        }
        clients.push(
          new ChatClientProcess({
            streamId,
            // Socket i of this process goes to instance (first + i) % INSTANCES: the room splits evenly.
            wsUrls: instances.map((_, offset) => instances[(first + offset) % INSTANCES]!.wsUrl),
            tokens,
            senders: mine,
            sendIntervalMs,
            roomSenders: senders,
            seconds: CHAT_SECONDS,
          }),
        );
        first += count;
      }
      const ready = await Promise.all(clients.map((client) => client.ready()));
      const opened = ready.reduce((sum, report) => sum + report.opened, 0);
      const openSeconds = (performance.now() - opening) / 1000;
      const rssConnected = instances.map((instance) => instance.residentSetBytes());
      ctx.log(
        `${opened} sockets joined the room in ${openSeconds.toFixed(1)} s; sending for ${CHAT_SECONDS} s`,
      );

      const startAt = Date.now() + 500;
      const progress = setInterval(
        () => ctx.log(`  … ${Math.round((Date.now() - startAt) / 1000)} s`),
        10_000,
      );
      let sentReports;
      let rssUnderLoad: number[];
      try {
        const sending = Promise.all(clients.map((client) => client.go(startAt)));
        // Halfway through the sending: the servers' memory with every socket's queue in use.
        await new Promise((resolve) => setTimeout(resolve, 500 + (CHAT_SECONDS * 1000) / 2));
        rssUnderLoad = instances.map((instance) => instance.residentSetBytes());
        sentReports = await sending;
      } finally {
        clearInterval(progress);
      }
      const sent = sentReports.reduce((sum, report) => sum + report.sent, 0);
      const refused = sentReports.reduce((sum, report) => sum + report.refused, 0);
      const published = sent - refused;
      const results: ChatClientsResult[] = await Promise.all(
        clients.map((client) => client.expect(published)),
      );

      const histogram = new LatencyHistogram();
      for (const result of results) histogram.add(result.latency);
      const received = results.reduce((sum, result) => sum + result.received, 0);
      const lost = results.reduce((sum, result) => sum + result.missing, 0);
      const duplicates = results.reduce((sum, result) => sum + result.extra, 0);
      const closedByServer = sumRecords(results.map((result) => result.closedByServer));
      const p50 = histogram.percentile(50);
      const p99 = histogram.percentile(99);
      const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
      const bytesPerSocketConnected = (sum(rssConnected) - sum(rssIdle)) / Math.max(1, opened);
      const bytesPerSocketUnderLoad = (sum(rssUnderLoad) - sum(rssIdle)) / Math.max(1, opened);
      ctx.log(
        `published ${published} messages; ${received} deliveries, ${lost} lost; p50 ${p50} ms, p99 ${p99} ms`,
      );

      const goals: Record<string, BenchResult> = {
        [`delivery p99 ≤ ${P99_GOAL_MS} ms`]: { value: p99, met: p99 <= P99_GOAL_MS },
        '0 messages lost (deliveries short of what was published, every socket)': {
          value: lost,
          met: lost === 0,
        },
      };
      const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
      return {
        sockets: opened,
        'API instances (processes)': INSTANCES,
        'client processes': processes,
        'messages per second': CHAT_MESSAGES_PER_SECOND,
        seconds: CHAT_SECONDS,
        senders,
        'goals met': `${met}/${Object.keys(goals).length}`,
        goals,
        'seconds to open, authenticate and join every socket': Math.round(openSeconds * 10) / 10,
        'messages sent': sent,
        'messages refused by the server': refused,
        'refusals by code': sumRecords(sentReports.map((report) => report.codes)),
        'messages published': published,
        'deliveries expected (published × sockets)': published * opened,
        'deliveries received': received,
        'deliveries lost': lost,
        'deliveries duplicated': duplicates,
        'sockets closed by the server, by close code': closedByServer,
        'delivery p50 ms (send → every viewer)': p50,
        'delivery p99 ms': p99,
        'delivery max ms': histogram.percentile(100),
        'server RSS idle, MB (both instances)': megabytes(sum(rssIdle)),
        'server RSS with every socket joined, MB': megabytes(sum(rssConnected)),
        'server RSS halfway through the sending, MB': megabytes(sum(rssUnderLoad)),
        'server RSS per socket, joined, KB': Math.round(bytesPerSocketConnected / 1024),
        'server RSS per socket, under load, KB': Math.round(bytesPerSocketUnderLoad / 1024),
        'client processes CPU (% of one core)': Math.round(
          (sum(results.map((result) => result.cpuSeconds)) / CHAT_SECONDS) * 100,
        ),
      };
    } finally {
      for (const client of clients) client.kill();
      await Promise.all(instances.map((instance) => instance.stop()));
    }
  },
});
