import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/**
 * Queue worker entry (same image as the API, `npm run worker`): the search relay and indexer. It expects the
 * schema the API migrated; closed cleanly (exit 0) on SIGTERM/SIGINT.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  closeOnSignals(app, config.http.shutdownGraceMs);
  await app;
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
