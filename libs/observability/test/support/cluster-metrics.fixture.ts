// A node:cluster for test/cluster-metrics.spec.ts: two workers count different amounts, a third is still starting
// (it never answers for itself); once the two answer, the first is scraped and the primary prints what it served.
import cluster from 'node:cluster';
import { Counter, Gauge, Registry } from 'prom-client';
import { aggregateWorkerMetrics } from '../../src/metrics/aggregate-worker-metrics.js';
import { ClusterMetricsExposition } from '../../src/metrics/cluster-metrics.exposition.js';

const SHARES = ['1', '2', 'starting'];

if (cluster.isPrimary) {
  aggregateWorkerMetrics();
  const workers = SHARES.map((share) => cluster.fork({ SHARE: share }));
  let answering = 0;
  cluster.on('message', (_worker, message: { type?: string; exposition?: string }) => {
    if (message.type === 'remedy:metrics:answering' && ++answering === 2) workers[0]!.send('scrape');
    if (message.exposition === undefined) return;
    process.stdout.write(message.exposition);
    for (const worker of workers) worker.kill();
  });
} else if (process.env['SHARE'] === 'starting') {
  setInterval(() => undefined, 60_000);
} else {
  const share = Number(process.env['SHARE']);
  const registry = new Registry();
  new Counter({ name: 'readings_total', help: 'summed', registers: [registry] }).inc(share * 10);
  new Gauge({ name: 'sockets', help: 'summed', registers: [registry] }).set(share);
  new Gauge({ name: 'fullest_buffer_rows', help: 'max', registers: [registry], aggregator: 'max' }).set(
    share * 100,
  );
  const exposition = new ClusterMetricsExposition(registry);
  process.on('message', (message) => {
    if (message !== 'scrape') return;
    void exposition.metrics().then((text) => process.send!({ exposition: text }));
  });
}
