import pg from 'pg';
import { DatabaseAdmin } from './database-admin.js';
import { seededTemplateDatabaseName, templateDatabaseName, withDatabase } from './database-names.js';
import type { PackageHarness } from '../package-harness.js';

/**
 * Builds the package's template database once per run (migrations run once), so each test file can
 * clone it with CREATE DATABASE … TEMPLATE in milliseconds instead of migrating again.
 */
export async function ensureTemplateDatabase(
  admin: DatabaseAdmin,
  serverUrl: string,
  harness: PackageHarness,
  runId: string,
): Promise<string> {
  const name = templateDatabaseName(harness.name, runId);
  await buildOnce(admin, name, undefined, async (building) => {
    await harness.migrate?.(withDatabase(serverUrl, building));
  });
  return name;
}

/**
 * Rows that every run of a measurement reads and none changes (a million readings for a report), written once
 * per test run: each run's database is cloned from a template of the seed's own, a file copy instead of the
 * inserts, the index builds and the ANALYZE. The seed's database is built from the package's template.
 */
export interface DatabaseSeed {
  /** Names the seed's template: unique within its package. */
  name: string;
  seed(pool: pg.Pool): Promise<void>;
}

/** Builds the template of `seed` on top of `packageTemplate` once per run, and returns its name. */
export async function ensureSeededTemplateDatabase(
  admin: DatabaseAdmin,
  serverUrl: string,
  harness: PackageHarness,
  packageTemplate: string,
  seed: DatabaseSeed,
  runId: string,
): Promise<string> {
  const name = seededTemplateDatabaseName(harness.name, seed.name, runId);
  await buildOnce(admin, name, packageTemplate, async (building) => {
    const pool = new pg.Pool({ connectionString: withDatabase(serverUrl, building), max: 4 });
    try {
      await seed.seed(pool);
    } finally {
      // A template with a session still open cannot be renamed or cloned.
      await pool.end();
    }
  });
  return name;
}

/** Builds `name` once across processes (jest workers, demo): the first to take the lock builds, the rest find it. */
async function buildOnce(
  admin: DatabaseAdmin,
  name: string,
  from: string | undefined,
  fill: (building: string) => Promise<void>,
): Promise<void> {
  await admin.exclusively(name, async () => {
    if (await admin.exists(name)) return;
    const building = `${name}_b`;
    await admin.drop(building);
    await admin.create(building, from);
    await fill(building);
    // Renaming only when the build succeeded means a half-built template is never cloned.
    await admin.rename(building, name);
  });
}
