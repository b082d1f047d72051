import { BenchChild } from '@remedy/testing';
import type {
  ChatClientsCommand,
  ChatClientsJob,
  ChatClientsReport,
  ChatClientsResult,
} from './chat-clients.child.js';

const ENTRY = new URL('./chat-clients.child.ts', import.meta.url);

type Report<T extends ChatClientsReport['type']> = Extract<ChatClientsReport, { type: T }>;

/**
 * One chat client process (chat-clients.child.ts) holding its share of the sockets, spoken to over IPC:
 * job → ready, go → sent, expect → result. A process of its own, because the open-files limit (20,000) is per
 * process and the clients' CPU must show apart from the servers'.
 */
export class ChatClientProcess {
  private readonly child: BenchChild;
  /** Resolves once every socket of the job has joined (or failed to). */
  readonly ready: Promise<Report<'ready'>>;

  constructor(job: ChatClientsJob) {
    this.child = new BenchChild(ENTRY, job, { name: 'chat client process' });
    this.ready = this.next('ready');
  }

  go(startAt: number, intervalMs: number, seconds: number, firstRound = 0): Promise<Report<'sent'>> {
    const sent = this.next('sent');
    this.command({ type: 'go', startAt, intervalMs, seconds, firstRound });
    return sent;
  }

  /** `final` false: a warm-up's deliveries, after which the process counts afresh and keeps its sockets open. */
  async expect(
    messages: Report<'sent'>['messages'],
    settleMs: number,
    final = true,
  ): Promise<ChatClientsResult> {
    const result = this.next('result');
    this.command({ type: 'expect', messages, settleMs, final });
    return (await result).result;
  }

  kill(): void {
    this.child.kill();
  }

  private command(command: ChatClientsCommand): void {
    this.child.send(command);
  }

  /** The child's next report of `type`, or its output if it exits first. */
  private next<T extends ChatClientsReport['type']>(type: T): Promise<Report<T>> {
    return this.child.next<Report<T>>(type);
  }
}

/** Sums the processes' results: deliveries per message, frames, duplicates, the latency histograms, closes. */
export function mergeResults(results: readonly ChatClientsResult[]): ChatClientsResult {
  const merged: ChatClientsResult = {
    deliveries: {},
    duplicates: 0,
    messageFrames: 0,
    received: 0,
    latency: {},
    latencyById: {},
    storedAt: {},
    closedByServer: {},
  };
  for (const result of results) {
    merged.duplicates += result.duplicates;
    merged.messageFrames += result.messageFrames;
    merged.received += result.received;
    for (const [id, count] of Object.entries(result.deliveries))
      merged.deliveries[id] = (merged.deliveries[id] ?? 0) + count;
    for (const [ms, count] of Object.entries(result.latency))
      merged.latency[Number(ms)] = (merged.latency[Number(ms)] ?? 0) + count;
    for (const [id, histogram] of Object.entries(result.latencyById)) {
      const byId = (merged.latencyById[id] ??= {});
      for (const [ms, count] of Object.entries(histogram)) byId[Number(ms)] = (byId[Number(ms)] ?? 0) + count;
    }
    Object.assign(merged.storedAt, result.storedAt);
    for (const [code, count] of Object.entries(result.closedByServer))
      merged.closedByServer[Number(code)] = (merged.closedByServer[Number(code)] ?? 0) + count;
  }
  return merged;
}

/**
 * How far each copy of a message lagged behind the message's first copy, over all messages (ms → count): the
 * fan-out alone, without the translation every copy of a message waited for alike.
 */
export function fanOutLag(latencyById: Record<string, Record<number, number>>): Record<number, number> {
  const lag: Record<number, number> = {};
  for (const histogram of Object.values(latencyById)) {
    const first = Math.min(...Object.keys(histogram).map(Number));
    for (const [ms, count] of Object.entries(histogram))
      lag[Number(ms) - first] = (lag[Number(ms) - first] ?? 0) + count;
  }
  return lag;
}

/**
 * Each copy's store → socket time less the provider's own latency for its message (the emulated delay of the
 * slowest engine call that carried the message's text, in any language), over all messages (ms → count): the
 * service's time alone: the queue, the batch window, the wait behind a call already out, the history and cache
 * writes, the publish and the frame window. `providerMs` holds that delay by message id (0: no call carried it).
 */
export function ownTime(
  latencyById: Record<string, Record<number, number>>,
  providerMs: ReadonlyMap<string, number>,
): Record<number, number> {
  const own: Record<number, number> = {};
  for (const [id, histogram] of Object.entries(latencyById)) {
    const provider = providerMs.get(id) ?? 0;
    for (const [ms, count] of Object.entries(histogram)) {
      const rest = Math.max(0, Number(ms) - provider);
      own[rest] = (own[rest] ?? 0) + count;
    }
  }
  return own;
}

/**
 * Each copy's send → socket time (ms → count): its store → socket time plus its message's send → store leg (the
 * client's send time, from the sending process, to the store time the frames carry; one clock, one machine).
 */
export function sendLatency(
  latencyById: Record<string, Record<number, number>>,
  storedAt: Record<string, number>,
  sentAt: ReadonlyMap<string, number>,
): Record<number, number> {
  const latency: Record<number, number> = {};
  for (const [id, histogram] of Object.entries(latencyById)) {
    const sent = sentAt.get(id);
    const stored = storedAt[id];
    const leg = sent === undefined || stored === undefined ? 0 : Math.max(0, stored - sent);
    for (const [ms, count] of Object.entries(histogram))
      latency[Number(ms) + leg] = (latency[Number(ms) + leg] ?? 0) + count;
  }
  return latency;
}

/** The nearest-rank percentile of a latency histogram (ms → count). */
export function histogramPercentile(histogram: Record<number, number>, p: number): number {
  const entries = Object.entries(histogram)
    .map(([ms, count]) => [Number(ms), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [ms, count] of entries) {
    seen += count;
    if (seen >= rank) return ms;
  }
  return entries[entries.length - 1]?.[0] ?? NaN;
}
