import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from './config.js';
import { runMigrations } from './database/run-migrations.js';
import { WorkerModule } from './worker.module.js';

/** The worker process: scheduled partition maintenance. Stops its BullMQ worker on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  await runMigrations(config, (line) => process.stdout.write(`${line}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  new Logger('worker').log('medical-vitals worker started (partition maintenance)');
}

await main();
