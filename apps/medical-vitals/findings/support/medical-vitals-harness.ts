import type { PackageHarness } from '@remedy/testing';
import { buildConfig } from '../../src/config.js';
import { runMigrations } from '../../src/database/run-migrations.js';

/** The template database: the app's migrations, plus vital_data partitions from two days ago to a week ahead. */
export const medicalVitalsHarness: PackageHarness = {
  name: 'medical-vitals',
  migrate: (databaseUrl) => runMigrations(buildConfig({ DATABASE_URL: databaseUrl })),
};
