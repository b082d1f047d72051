import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/**
 * Queue worker entry (same image as the API, `npm run worker`): translates and delivers chat messages and relays
 * session events (joins and leaves invalidate the cached participant-language map). It runs
 * no migrations (the API does, one process at a time) and closes cleanly (exit 0) on SIGTERM/SIGINT, letting
 * the messages in hand finish.
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
