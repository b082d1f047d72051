import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeOnSignals } from '@remedy/http';
import cluster from 'node:cluster';
import { createApp } from './app.setup.js';
import { runApiCluster } from './cluster/api-cluster.js';
import { loadConfigOrExit, sharedClusterEnvironment, type AppConfig } from './config.js';
import { runMigrations } from './database/run-migrations.js';

/**
 * The API process. On SIGTERM/SIGINT: stop accepting devices, flush the write buffer and ack what was
 * stored, close every device with 1012 (reconnect elsewhere), then close pools and Redis.
 */
async function serve(config: AppConfig): Promise<void> {
  // The promise: a worker told to stop while it is still starting (its cluster is giving up) closes, not dies.
  const created = createApp(config);
  closeOnSignals(created, config.shutdownGraceMs);
  const app = await created;
  await app.listen({ port: config.port, host: config.host });
  new Logger('main').log(`medical-vitals listening on ${config.host}:${config.port} (docs at /docs)`);
}

/**
 * INGEST_WORKERS > 1: the primary migrates once, then forks that many API processes on the same port (one per
 * core uses the machine: one Node process is one core of JSON, WebSocket and ack work).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (cluster.isWorker) return serve(config);
  await runMigrations(config, (line) => process.stdout.write(`${line}\n`));
  if (config.workers === 1) return serve(config);
  process.exitCode = await runApiCluster({
    workers: config.workers,
    restarts: config.workerRestarts,
    env: sharedClusterEnvironment(config),
    log: (message) => process.stdout.write(`${message}\n`),
  });
}

await main();
