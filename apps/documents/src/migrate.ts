import 'reflect-metadata';
import { loadConfig } from './config.js';
import { migrateDatabase } from './database/migrate-database.js';

/** `npm run migrate`: applies pending migrations (the API also runs them at start-up). */
const applied = await migrateDatabase(loadConfig().database);
process.stdout.write(
  applied.length === 0 ? 'migrations: up to date\n' : `migrations applied: ${applied.join(', ')}\n`,
);
