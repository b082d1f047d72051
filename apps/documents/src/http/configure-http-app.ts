import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpEdgeAdapter } from '@remedy/http';
import { SubscribeMessageOnlyWsAdapter } from '@remedy/realtime';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * What main.ts and the test app starter both do to the HTTP application: the `ws` adapter that serves WebSocket
 * /collab on the same port, Swagger UI at /docs (main.ts adds
 * `closeOnSignals`; tests close apps themselves). Pipes, filters and the guard are providers of AppModule, so
 * every way of booting it has them.
 */
export function configureHttpApp(app: NestFastifyApplication): void {
  app.useWebSocketAdapter(new SubscribeMessageOnlyWsAdapter(app));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Polyglot Connect')
      .setDescription(
        "Documents: organisations, users and their documents, co-edited in real time over WebSocket /collab (search to come). Every route needs a bearer access token and one of the roles it names, and sees only the caller's organisation, except /auth/*, /health and /metrics. Errors are `{ statusCode, error, message, details }`.",
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}

/**
 * Fastify behind the shared input edge (libs/http): NUL bytes, lone surrogates, deep nesting and bodies over
 * 64 KiB (no request of this API needs more) are refused before a DTO or Postgres sees them.
 */
export function createHttpAdapter(): FastifyAdapter {
  return createHttpEdgeAdapter({ bodyLimit: 64 * 1024, fastify: { return503OnClosing: true } });
}
