import { DatabaseAdmin } from './database-admin.js';
import { templateDatabaseName, withDatabase } from './database-names.js';
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
  await admin.exclusively(name, async () => {
    if (await admin.exists(name)) return;
    const building = `${name}_b`;
    await admin.drop(building);
    await admin.create(building);
    await harness.migrate?.(withDatabase(serverUrl, building));
    // Renaming only when migrations succeeded means a half-built template is never cloned.
    await admin.rename(building, name);
  });
  return name;
}
