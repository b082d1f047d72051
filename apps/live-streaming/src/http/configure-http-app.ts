import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpEdgeAdapter } from '@remedy/http';
import { SubscribeMessageOnlyWsAdapter } from '@remedy/realtime';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * What main.ts and the test app starter both do to the HTTP application: Swagger UI at /docs (main.ts adds
 * `closeOnSignals`; tests close apps themselves). Pipes, filters and the guard are providers of AppModule, so
 * every way of booting it has them.
 */
export function configureHttpApp(app: NestFastifyApplication): void {
  // The chat gateway reads its sockets itself (first-message auth, ordered handling): no second JSON parse.
  app.useWebSocketAdapter(new SubscribeMessageOnlyWsAdapter(app));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('LiveStream Pro')
      .setDescription(
        'Live streaming: accounts, profiles, follows, streams, viewer counts, tips and the viewer page (/watch; chat is WebSocket /chat, see the README). Every route needs a bearer access token except /auth/*, /health, GET /streams/live and the viewer page. Errors are `{ statusCode, error, message, details }`.',
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
