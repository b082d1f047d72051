import { createHash, randomBytes } from 'node:crypto';

// Every database the harness creates or touches carries this marker, so it can never drop a real one.
const MARKER = 'test';
const PREFIX = 'remedy_test_';
// Leftovers of crashed runs are recognised by the creation time encoded in their names.
const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

export function assertTestDatabaseName(name: string): void {
  if (!name.toLowerCase().includes(MARKER)) {
    throw new Error(
      `Refusing to use database "${name}": its name must contain "${MARKER}" (tests only touch test databases).`,
    );
  }
}

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

function slug(packageName: string): string {
  return packageName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20);
}

export function templateDatabaseName(packageName: string, runId: string): string {
  return `${PREFIX}tpl_${slug(packageName)}_${runId}`;
}

/** The template of one seed on top of a package's template; a hash of the seed's name keeps it within 63 characters. */
export function seededTemplateDatabaseName(packageName: string, seedName: string, runId: string): string {
  const seed = createHash('sha256').update(seedName).digest('hex').slice(0, 8);
  return `${PREFIX}tpl_${slug(packageName)}_${seed}_${runId}`;
}

/**
 * Ends with the run id, like the run's templates, so the process that owns the run drops whatever of its
 * run is left (a drop still in flight when a jest worker exited) when it stops.
 */
export function isolatedDatabaseName(packageName: string, runId: string): string {
  return `${PREFIX}${slug(packageName)}_${randomBytes(3).toString('hex')}_${runId}`;
}

export function isStaleHarnessDatabase(name: string, now = Date.now()): boolean {
  if (!name.startsWith(PREFIX)) return false;
  const stamp = /_([0-9a-z]{8,9})[0-9a-f]{4}$/.exec(name)?.[1];
  if (!stamp) return false;
  return now - parseInt(stamp, 36) > STALE_AFTER_MS;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}
