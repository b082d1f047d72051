import 'reflect-metadata';
import { loadConfig } from './config.js';
import { migrateDatabase } from './database/migrate-database.js';

/** `npm run migrate`: applies pending migrations (run before a new release's API starts: expand first). */
const applied = await migrateDatabase(loadConfig().database);
process.stdout.write(
  applied.length === 0 ? 'migrations: up to date\n' : `migrations applied: ${applied.join(', ')}\n`,
);
