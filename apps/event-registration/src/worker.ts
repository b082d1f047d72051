import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './config.js';
import { armShutdownDeadline } from './shutdown-deadline.js';
import { WorkerModule } from './worker.module.js';

/** Queue worker entry (same image as the API): createApplicationContext, closed cleanly on SIGTERM. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.enableShutdownHooks();
  armShutdownDeadline(config.http.shutdownGraceMs);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
