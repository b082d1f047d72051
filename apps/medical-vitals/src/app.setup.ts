import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorFilter, createHttpEdgeAdapter, createValidationPipe } from '@remedy/http';
import { SubscribeMessageOnlyWsAdapter } from '@remedy/realtime';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';

/** Builds the API application as main.ts runs it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(),
    {
      bufferLogs: true,
    },
  );
  configureApp(app);
  return app;
}

/**
 * Fastify behind the shared input edge (libs/http): NUL bytes, lone surrogates, deep nesting, oversized
 * bodies, paths and headers are refused before a DTO or Postgres sees them, in this app's `{ field, problems }`.
 */
export function createHttpAdapter(): FastifyAdapter {
  return createHttpEdgeAdapter({ bodyLimit: 1_048_576, details: 'per-field' });
}

export function configureApp(app: INestApplication): void {
  // Both gateways read their sockets themselves: Nest's routing would parse every reading a second time.
  app.useWebSocketAdapter(new SubscribeMessageOnlyWsAdapter(app));
  // The clients of this service read `{ field, problems }`, over HTTP and on the ingest socket alike.
  app.useGlobalPipes(createValidationPipe({ details: 'per-field' }));
  app.useGlobalFilters(new ApiErrorFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('medical-vitals')
      .setDescription(
        'Device registry, alert rules and dashboards of the medical device platform. Devices stream readings over WebSocket /ingest (see the README).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
