import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from './config.js';
import { runMigrations } from './database/run-migrations.js';
import { WorkerModule } from './worker.module.js';

/** The worker process: scheduled partition maintenance. Stops its BullMQ worker on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await runMigrations(config, (line) => process.stdout.write(`${line}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  new Logger('worker').log('medical-vitals worker started (partition maintenance)');
}

await main();
