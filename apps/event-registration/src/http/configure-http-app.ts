import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * What main.ts and the test app starter both do to the HTTP application: Swagger UI at /docs (main.ts adds
 * `closeOnSignals`; tests close apps themselves). Pipes and filters
 * are providers of AppModule, so every way of booting it has them.
 */
export function configureHttpApp(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Event registration')
      .setDescription(
        'Enterprise event platform: events, registrations, check-in, stats and surveys. Errors are `{ statusCode, error, message, details }`.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
