import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals } from './close-on-signals.js';

export interface WorkerEntry {
  /** The app's worker module: relays, queue consumers, scheduled jobs. */
  module: DynamicModule;
  /** How long closing may take on SIGTERM/SIGINT before the process exits 1 (see closeOnSignals). */
  shutdownGraceMs: number;
}

/**
 * Runs a worker process (same image as the API, no HTTP server): `entry()` reads the app's config, its module
 * starts as an application context that closes once on SIGTERM/SIGINT (handlers installed before start-up
 * ends, so a consumer already running closes instead of dying), and a failed start-up exits 1 with its stack.
 */
export function runWorkerEntry(entry: () => WorkerEntry): void {
  startWorker(entry).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

async function startWorker(entry: () => WorkerEntry): Promise<void> {
  const { module, shutdownGraceMs } = entry();
  const app = NestFactory.createApplicationContext(module, { bufferLogs: true });
  closeOnSignals(app, shutdownGraceMs);
  await app;
}
