import type { PackageHarness } from '@remedy/testing';
import { parseConfig } from '../../src/config.js';
import { migrateDatabase } from '../../src/database/migrate-database.js';
import { TEST_SECRETS } from './test-config.js';

/** Builds the package's template database from the app's TypeORM migrations. */
export const documentsHarness: PackageHarness = {
  name: 'documents',
  async migrate(databaseUrl) {
    await migrateDatabase(parseConfig({ ...TEST_SECRETS, DATABASE_URL: databaseUrl }).database);
  },
};
