/**
 * Where a run's tail latency came from, as the API itself saw it: two scrapes of `/metrics` (through the
 * cluster primary, so every worker counts), one before the devices start and one after they finish. Scraping
 * resets Node's event-loop delay histogram in each worker, so the second scrape reads the run alone; the
 * histograms (flushes, GC) are cumulative and are read as differences. A stall of the event loop delays every
 * reading in flight on that worker; a slow flush delays every reading in its batch; neither means the tail
 * was the measuring side's (the dashboard process reports its own event-loop delay).
 */
export interface ServerStages {
  'API event-loop delay max ms (worst worker)': number;
  'API event-loop delay p99 ms (mean of workers)': number;
  'API GC pauses ≥ 100 ms': number;
  'batch flushes': number;
  'batch flushes ≥ 250 ms (commit + cache + stream)': number;
  'batch flushes ≥ 1 s': number;
}

export async function scrapeMetrics(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
  return response.text();
}

export function serverStages(before: string, after: string): ServerStages {
  const grown = (name: string, labels: Record<string, string> = {}): number =>
    sampleSum(after, name, labels) - sampleSum(before, name, labels);
  const flushes = grown('vitals_write_flush_duration_seconds_count');
  const gcs = grown('nodejs_gc_duration_seconds_count');
  return {
    'API event-loop delay max ms (worst worker)': ms(sampleSum(after, 'nodejs_eventloop_lag_max_seconds')),
    'API event-loop delay p99 ms (mean of workers)': ms(sampleSum(after, 'nodejs_eventloop_lag_p99_seconds')),
    'API GC pauses ≥ 100 ms': gcs - grown('nodejs_gc_duration_seconds_bucket', { le: '0.1' }),
    'batch flushes': flushes,
    'batch flushes ≥ 250 ms (commit + cache + stream)':
      flushes - grown('vitals_write_flush_duration_seconds_bucket', { le: '0.25' }),
    'batch flushes ≥ 1 s': flushes - grown('vitals_write_flush_duration_seconds_bucket', { le: '1' }),
  };
}

function ms(seconds: number): number {
  return Math.round(seconds * 1000);
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** The sum of the samples named `name` whose labels include every pair of `labels` (0 when none). */
export function sampleSum(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) sum += Number(match[3]);
  }
  return sum;
}
