import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup.js';
import { loadConfigOrExit } from './config.js';
import { runMigrations } from './database/run-migrations.js';

/**
 * The API process. On SIGTERM/SIGINT: stop accepting devices, flush the write buffer and ack what was
 * stored, close every device with 1012 (reconnect elsewhere), then close pools and Redis.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await runMigrations(config, (line) => process.stdout.write(`${line}\n`));
  const app = await createApp(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen({ port: config.port, host: config.host });
  new Logger('main').log(`medical-vitals listening on ${config.host}:${config.port} (docs at /docs)`);
}

await main();
