import { histogramQuantile, total } from '@remedy/testing';

/**
 * The servers' part of an edit's fan-out, from the API instances' own histograms on /metrics (ADR 0093), scraped
 * after the edits and summed over the instances: from the edit's message handled on its sender's instance to its
 * frame handed to the kernel for every socket of the document, on that instance (`local`) and on the other, through
 * Redis (`relayed`, which includes `transit`: PUBLISH → read). Quantiles are Prometheus' interpolation inside
 * buckets, so a few ms off. What the editors measured beyond this is the clients' and loopback TCP's.
 */
export type ServerFanOut = {
  local: Quantiles;
  relayed: Quantiles;
  transit: Quantiles;
};

type Quantiles = {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
};

const FAN_OUT = 'documents_collab_fanout_seconds';
const TRANSIT = 'documents_collab_relay_transit_seconds';

export async function scrapeMetrics(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/metrics`);
  if (!response.ok) throw new Error(`${apiUrl}/metrics: HTTP ${response.status}`);
  return response.text();
}

export function serverFanOut(expositions: readonly string[]): ServerFanOut {
  // histogramQuantile sums the buckets of every series it finds: the scrapes one after the other add up.
  const all = expositions.join('\n');
  const path = (name: string): string =>
    all
      .split('\n')
      .filter((line) => line.includes(`path="${name}"`))
      .join('\n');
  return {
    local: quantiles(path('local'), FAN_OUT),
    relayed: quantiles(path('relayed'), FAN_OUT),
    transit: quantiles(all, TRANSIT),
  };
}

/**
 * An instance's event-loop delay p99 and max since the previous scrape (Node's default metrics: prom-client resets
 * the monitor at each scrape, so the bench scrapes once before the edits).
 */
export function eventLoopDelayMs(exposition: string): { p99: number; max: number } {
  const ms = (name: string): number => Math.round(total(exposition, name) * 1000 * 10) / 10;
  return { p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') };
}

function quantiles(exposition: string, histogram: string): Quantiles {
  const ms = (seconds: number): number => Math.round(seconds * 1000 * 10) / 10;
  const count = total(exposition, `${histogram}_count`);
  return {
    count,
    meanMs: ms(total(exposition, `${histogram}_sum`) / Math.max(1, count)),
    p50Ms: ms(histogramQuantile(exposition, histogram, 0.5)),
    p99Ms: ms(histogramQuantile(exposition, histogram, 0.99)),
  };
}
