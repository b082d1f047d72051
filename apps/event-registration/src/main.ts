import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeOnSignals, createHttpEdgeAdapter } from '@remedy/http';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';
import { configureHttpApp } from './http/configure-http-app.js';

/** HTTP entry: Fastify (events:M-4 hooks need it), Swagger at /docs, graceful shutdown on SIGTERM/SIGINT. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const created = NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpEdgeAdapter({ bodyLimit: 256 * 1024, fastify: { return503OnClosing: true } }),
    { bufferLogs: true },
  );
  closeOnSignals(created, config.http.shutdownGraceMs);
  const app = await created;
  configureHttpApp(app);
  await app.listen(config.http.port, config.http.host);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
