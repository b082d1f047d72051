import { Worker } from 'node:worker_threads';
import { defineBench } from '@remedy/testing';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { KATA_V04_SQL } from '../katas/v-04-insert-per-reading.flawed.js';
import { readings, type ReadingMessage } from '../findings/support/device-client.js';
import { ingestThroughKataV04 } from '../findings/support/kata-v04-ingest.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededDevice } from '../findings/support/seed-registry.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { IngestMetrics } from '../src/telemetry/ingest-metrics.service.js';

const DEVICES = 200;
const PER_DEVICE = 250;
const PER_MESSAGE = 100;
const WARM_UP = 10;
const COPY_BATCH = 10_000;
const KATA_READINGS = 5_000;

function copyLine(device: SeededDevice, reading: ReadingMessage): string {
  return [
    device.patientId,
    device.id,
    reading.recordedAt,
    reading.seq,
    reading.heartRate,
    reading.spo2,
    reading.systolic,
    reading.diastolic,
    reading.temperature,
  ].join('\t');
}

/** Runs the device swarm on a worker thread; resolves with the burst's wall time in ms. */
function runClients(job: object): Promise<number> {
  const worker = new Worker(new URL('./support/burst-clients.worker.ts', import.meta.url), {
    workerData: job,
  });
  return new Promise<number>((resolve, reject) => {
    worker.once('message', (result: { elapsed?: number; error?: string }) => {
      void worker.terminate();
      if (result.elapsed === undefined) reject(new Error(result.error ?? 'the client worker failed'));
      else resolve(result.elapsed);
    });
    worker.once('error', reject);
  });
}

/**
 * Burst ingest: every device sends its backlog at once through WebSocket /ingest (auth, validation, rate
 * limit, batched writer, latest-vitals cache, stream), compared in the same run with a raw COPY of the same
 * number of rows (the floor no service can beat) and with the flawed one-INSERT-per-reading kata.
 */
export default defineBench({
  name: 'medical-vitals: burst ingest through the service vs raw COPY vs per-reading INSERT',
  harness: medicalVitalsHarness,
  async run(ctx) {
    const { devices } = await seedRegistry(ctx.pool, { patients: DEVICES });
    const total = DEVICES * PER_DEVICE;
    const start = Date.now() - 3 * 3_600_000;
    // A burst configuration: limits high enough to let a backlog through, and batches of 10,000 (the default
    // 1,000 / 50 ms favours ack latency at the steady 5,000 readings/s).
    const app = await startTestApp(ctx, {
      ALERT_EVALUATOR_ENABLED: 'false',
      DEVICE_RATE_PER_SECOND: '100000',
      DEVICE_RATE_BURST: String(PER_MESSAGE * 10),
      WRITE_BUFFER_MAX_ROWS: String(total * 2),
      WRITE_BATCH_ROWS: '10000',
      WRITE_FLUSH_INTERVAL_MS: '100',
      WRITE_MAX_CONCURRENT_FLUSHES: '2',
    });
    let serviceRowsPerSecond: number;
    let flushes = { count: 0, meanMs: 0 };
    try {
      ctx.log(`${DEVICES} devices connect and warm up, then send ${total.toLocaleString('en')} readings`);
      const elapsedMs = await runClients({
        wsUrl: app.wsUrl,
        devices: devices.map((device) => ({ id: device.id, token: device.token })),
        perDevice: PER_DEVICE,
        perMessage: PER_MESSAGE,
        warmUp: WARM_UP,
        start,
      });
      serviceRowsPerSecond = total / (elapsedMs / 1000);
      const flush = (await app.app.get(IngestMetrics).flushDuration.get()).values;
      const count = flush.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0;
      const sum = flush.find((value) => value.metricName?.endsWith('_sum'))?.value ?? 0;
      flushes = { count, meanMs: count === 0 ? 0 : (sum * 1000) / count };
    } finally {
      await app.close();
    }
    ctx.log(
      `service: ${Math.round(serviceRowsPerSecond).toLocaleString('en')} rows/s (${flushes.count} flushes, mean ${flushes.meanMs.toFixed(0)} ms)`,
    );

    // The same rows an hour earlier (same partitions, no key conflicts), by COPY in batches of 10,000.
    const lines = devices.flatMap((device) =>
      readings(PER_DEVICE, 0, start - 3_600_000).map((reading) => `${copyLine(device, reading)}\n`),
    );
    const client = await ctx.pool.connect();
    const copyStarted = performance.now();
    try {
      for (let i = 0; i < lines.length; i += COPY_BATCH) {
        await pipeline(
          Readable.from(lines.slice(i, i + COPY_BATCH)),
          client.query(
            copyFrom(
              'COPY vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature) FROM STDIN',
            ),
          ),
        );
      }
    } finally {
      client.release();
    }
    const copyRowsPerSecond = total / ((performance.now() - copyStarted) / 1000);
    ctx.log(`raw COPY: ${Math.round(copyRowsPerSecond).toLocaleString('en')} rows/s`);

    await ctx.pool.query(KATA_V04_SQL);
    const perDevice = KATA_READINGS / DEVICES;
    const kataStarted = performance.now();
    await ingestThroughKataV04(ctx.databaseUrl, devices, () => readings(perDevice, 0, start));
    const kataRowsPerSecond = KATA_READINGS / ((performance.now() - kataStarted) / 1000);
    ctx.log(`kata (INSERT per reading): ${Math.round(kataRowsPerSecond).toLocaleString('en')} rows/s`);

    return {
      readings: total,
      'service rows/s': Math.round(serviceRowsPerSecond),
      'service flushes': flushes.count,
      'mean flush ms': Math.round(flushes.meanMs),
      'raw COPY rows/s': Math.round(copyRowsPerSecond),
      'kata INSERT-per-reading rows/s': Math.round(kataRowsPerSecond),
      'service / COPY': Number((serviceRowsPerSecond / copyRowsPerSecond).toFixed(2)),
      'service / kata': Number((serviceRowsPerSecond / kataRowsPerSecond).toFixed(1)),
    };
  },
});
