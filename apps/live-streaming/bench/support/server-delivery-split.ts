import { histogramQuantile, total } from '@remedy/testing';

/**
 * Where a chat line's delivery time went on the servers, from the instances' own histograms on /metrics (scraped
 * after the run, summed over the instances): the send handled → PUBLISH (rate limit, name, history), PUBLISH → read
 * from Redis, the frame window's wait, and the fan-out span (per frame). Quantiles are Prometheus' interpolation
 * inside buckets, so a few ms off; and quantiles do not add (see `mean`). What a timed viewer measured beyond the servers' part is its own: the client sending,
 * loopback TCP both ways and the client processes' receiving (on the same cores as the servers here).
 */
export type ServerDeliverySplit = {
  /**
   * Means add up where quantiles do not: a line's delivery is the sum of its parts, so the mean delivery is the sum
   * of the parts' means, and what the clients measured beyond the servers' mean is theirs exactly (on average). The
   * fan-out counts half its span here: the sockets are written in order, the average one half-way through.
   */
  mean: ServerParts;
  p50: ServerParts;
  p99: ServerParts;
};

export type ServerParts = {
  sendToPublish: number;
  transit: number;
  frameWait: number;
  fanOut: number;
  sum: number;
};

const PARTS = {
  sendToPublish: 'chat_send_to_publish_seconds',
  transit: 'websocket_room_message_transit_seconds',
  frameWait: 'websocket_room_frame_wait_seconds',
  fanOut: 'websocket_room_fanout_seconds',
} as const;

export async function scrapeMetrics(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/metrics`);
  if (!response.ok) throw new Error(`${apiUrl}/metrics: HTTP ${response.status}`);
  return response.text();
}

export function serverDeliverySplit(expositions: readonly string[]): ServerDeliverySplit {
  // histogramQuantile sums the buckets of every series it finds: the instances' scrapes one after the other add up.
  const all = expositions.join('\n');
  const parts = (q: number): ServerParts => {
    const ms = (name: string): number => Math.round(histogramQuantile(all, name, q) * 1000 * 10) / 10;
    const found = {
      sendToPublish: ms(PARTS.sendToPublish),
      transit: ms(PARTS.transit),
      frameWait: ms(PARTS.frameWait),
      fanOut: ms(PARTS.fanOut),
    };
    const sum = Object.values(found).reduce((a, b) => a + b, 0);
    return { ...found, sum: Math.round(sum * 10) / 10 };
  };
  const mean = (name: string): number =>
    (total(all, `${name}_sum`) / Math.max(1, total(all, `${name}_count`))) * 1000;
  const means = {
    sendToPublish: mean(PARTS.sendToPublish),
    transit: mean(PARTS.transit),
    frameWait: mean(PARTS.frameWait),
    fanOut: mean(PARTS.fanOut) / 2,
  };
  const rounded = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    mean: {
      sendToPublish: rounded(means.sendToPublish),
      transit: rounded(means.transit),
      frameWait: rounded(means.frameWait),
      fanOut: rounded(means.fanOut),
      sum: rounded(Object.values(means).reduce((a, b) => a + b, 0)),
    },
    p50: parts(0.5),
    p99: parts(0.99),
  };
}

/** The frames fanned out and the messages read from Redis, summed over the instances. */
export function serverCounts(expositions: readonly string[]): { frames: number; messagesRead: number } {
  const all = expositions.join('\n');
  return {
    frames: total(all, `${PARTS.fanOut}_count`),
    messagesRead: total(all, `${PARTS.transit}_count`),
  };
}

/** The worst event-loop delay an instance saw (Node's default metrics, since the last scrape or the start). */
export function eventLoopDelayMaxMs(exposition: string): number {
  return Math.round(total(exposition, 'nodejs_eventloop_lag_max_seconds') * 1000);
}
