import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeOnSignals } from '@remedy/http';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';
import { migrateDatabase } from './database/migrate-database.js';
import { configureHttpApp, createHttpAdapter } from './http/configure-http-app.js';

/** HTTP entry: migrations first (one process at a time), Fastify, Swagger at /docs, graceful shutdown. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await migrateDatabase(config.database);
  const created = NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(), {
    bufferLogs: true,
  });
  closeOnSignals(created, config.http.shutdownGraceMs);
  const app = await created;
  configureHttpApp(app);
  await app.listen(config.http.port, config.http.host);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
