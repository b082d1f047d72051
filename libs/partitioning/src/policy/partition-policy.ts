import { ARCHIVE_FORMATS, type ArchiveFormat } from '../archive/archive-format.js';
import type { ArchiveStore } from '../archive/archive-store.js';
import { type Duration, describeDuration, durationProblem, subtractDuration } from './duration.js';
import { PARTITION_INTERVALS, type PartitionInterval } from './partition-interval.js';
import { MAX_PARENT_TABLE_NAME_LENGTH } from './partition-naming.js';
import { PartitionPolicyError } from './partition-policy.error.js';

export interface PartitionArchive {
  readonly store: ArchiveStore;
  readonly format: ArchiveFormat;
}

export interface PartitionPolicyOptions {
  /** The parent table, created `PARTITION BY RANGE (<column>)`; `schema.table` or `table` (schema public). */
  table: string;
  column: string;
  interval: PartitionInterval;
  /** How many intervals past the current one must already have a partition. */
  premake: number;
  /** Partitions that end before now − hotRetention leave the database (archived first when `archive` is set). */
  hotRetention: Duration;
  /**
   * How late a row may still arrive: premake keeps partitions ready from the interval holding now − lateArrival
   * (see premakeBoundary), so such a row has a partition of its own. Shorter than hotRetention, or retention
   * would drop what premake creates. Default: partitions from the current interval only.
   */
  lateArrival?: Duration;
  archive?: PartitionArchive;
  /** Archives of partitions that end before now − purgeAfter are deleted from the store. Needs `archive`. */
  purgeAfter?: Duration;
  /**
   * Keep a DEFAULT partition so a row past the premade range is stored (and reported) instead of rejected.
   * Costs the ability to DETACH … CONCURRENTLY, which PostgreSQL refuses while a default partition exists.
   */
  defaultPartition?: boolean;
}

export interface PartitionPolicy {
  readonly schema: string;
  readonly table: string;
  /** `schema.table`, unquoted: metric labels, archive keys and lock names. */
  readonly qualifiedName: string;
  readonly column: string;
  readonly interval: PartitionInterval;
  readonly premake: number;
  readonly hotRetention: Duration;
  readonly lateArrival: Duration | undefined;
  readonly archive: PartitionArchive | undefined;
  readonly purgeAfter: Duration | undefined;
  readonly defaultPartition: boolean;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const MAX_PREMAKE = 366;
// Durations are compared on a fixed date so "3 months" vs "90 days" is judged the same way on every run.
const DURATION_REFERENCE = new Date(Date.UTC(2000, 0, 31));

export function definePartitionPolicy(options: PartitionPolicyOptions): PartitionPolicy {
  const [schema, table] = splitTableName(options.table);
  const problems = [...tableProblems(options.table, schema, table), ...settingProblems(options)];
  if (problems.length > 0) throw new PartitionPolicyError(options.table, problems);
  return Object.freeze({
    schema,
    table,
    qualifiedName: `${schema}.${table}`,
    column: options.column,
    interval: options.interval,
    premake: options.premake,
    hotRetention: Object.freeze({ ...options.hotRetention }),
    lateArrival: options.lateArrival ? Object.freeze({ ...options.lateArrival }) : undefined,
    archive: options.archive ? Object.freeze({ ...options.archive }) : undefined,
    purgeAfter: options.purgeAfter ? Object.freeze({ ...options.purgeAfter }) : undefined,
    defaultPartition: options.defaultPartition ?? true,
  });
}

function splitTableName(name: unknown): [string, string] {
  if (typeof name !== 'string') return ['', ''];
  const parts = name.split('.');
  return parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['public', name];
}

function tableProblems(raw: unknown, schema: string, table: string): string[] {
  if (!IDENTIFIER.test(schema) || !IDENTIFIER.test(table)) {
    return [
      `table must be "table" or "schema.table" in lower-case letters, digits and _ (got ${JSON.stringify(raw)})`,
    ];
  }
  if (table.length > MAX_PARENT_TABLE_NAME_LENGTH) {
    return [
      `table name must be at most ${MAX_PARENT_TABLE_NAME_LENGTH} characters so partition names fit PostgreSQL's 63`,
    ];
  }
  return [];
}

function settingProblems(options: PartitionPolicyOptions): string[] {
  const problems: string[] = [];
  if (typeof options.column !== 'string' || !IDENTIFIER.test(options.column)) {
    problems.push(`column must be a lower-case identifier (got ${JSON.stringify(options.column)})`);
  }
  if (!PARTITION_INTERVALS.includes(options.interval)) {
    problems.push(
      `interval must be one of ${PARTITION_INTERVALS.join(', ')} (got ${JSON.stringify(options.interval)})`,
    );
  }
  if (!Number.isInteger(options.premake) || options.premake < 1 || options.premake > MAX_PREMAKE) {
    problems.push(
      `premake must be a whole number of intervals from 1 to ${MAX_PREMAKE} (got ${String(options.premake)})`,
    );
  }
  const hotProblem = durationProblem(options.hotRetention);
  if (hotProblem) problems.push(`hotRetention ${hotProblem}`);
  if (options.lateArrival !== undefined) {
    problems.push(
      ...lateArrivalProblems(options.lateArrival, options.hotRetention, hotProblem === undefined),
    );
  }
  if (options.archive !== undefined) problems.push(...archiveProblems(options.archive));
  if (options.purgeAfter !== undefined) problems.push(...purgeProblems(options, hotProblem === undefined));
  if (options.defaultPartition !== undefined && typeof options.defaultPartition !== 'boolean') {
    problems.push('defaultPartition must be true or false');
  }
  return problems;
}

function archiveProblems(archive: PartitionArchive): string[] {
  const problems: string[] = [];
  const store = archive.store as Partial<ArchiveStore> | undefined;
  const methods = ['put', 'get', 'list', 'delete'] as const;
  if (!store || methods.some((method) => typeof store[method] !== 'function')) {
    problems.push(`archive.store must implement ArchiveStore (${methods.join(', ')})`);
  }
  if (!ARCHIVE_FORMATS.includes(archive.format)) {
    problems.push(
      `archive.format must be one of ${ARCHIVE_FORMATS.join(', ')} (got ${JSON.stringify(archive.format)})`,
    );
  }
  return problems;
}

function lateArrivalProblems(
  lateArrival: Duration,
  hotRetention: Duration,
  hotRetentionValid: boolean,
): string[] {
  const problem = durationProblem(lateArrival);
  if (problem) return [`lateArrival ${problem}`];
  if (
    hotRetentionValid &&
    subtractDuration(DURATION_REFERENCE, lateArrival) <= subtractDuration(DURATION_REFERENCE, hotRetention)
  ) {
    return [
      `lateArrival (${describeDuration(lateArrival)}) must be shorter than hotRetention (${describeDuration(hotRetention)})`,
    ];
  }
  return [];
}

function purgeProblems(options: PartitionPolicyOptions, hotRetentionValid: boolean): string[] {
  const purgeAfter = options.purgeAfter as Duration;
  const problem = durationProblem(purgeAfter);
  if (problem) return [`purgeAfter ${problem}`];
  const problems: string[] = [];
  if (options.archive === undefined) problems.push('purgeAfter deletes archives, so it needs archive');
  if (
    hotRetentionValid &&
    subtractDuration(DURATION_REFERENCE, purgeAfter) >=
      subtractDuration(DURATION_REFERENCE, options.hotRetention)
  ) {
    problems.push(
      `purgeAfter (${describeDuration(purgeAfter)}) must be longer than hotRetention (${describeDuration(options.hotRetention)})`,
    );
  }
  return problems;
}
