import type pg from 'pg';
import { tryWithAdvisoryLock, withAdvisoryLock } from '../catalog/advisory-lock.js';
import { withLockTimeout } from '../catalog/lock-timeout.js';
import { assertRangePartitioned, readPartitionCatalog } from '../catalog/partitioned-table-catalog.js';
import { addIntervals, startOfInterval } from '../policy/partition-interval.js';
import { defaultPartitionName, partitionName } from '../policy/partition-naming.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';
import { premakeBoundary } from '../policy/premake-boundary.js';
import { purgeExpiredArchives } from './archive-purger.js';
import { inspectDefaultPartition, type DefaultPartitionReport } from './default-partition-check.js';
import type { MaintenanceReport, PremakeReport, RetentionReport } from './maintenance-report.js';
import { createDefaultPartition, createPartition, type CreatedPartition } from './partition-creator.js';
import { retireExpiredPartitions } from './partition-retirer.js';

export interface PartitionMaintainerOptions {
  /** The clock partitions are computed from; tests and findings pin it. */
  now?: () => Date;
  /** Longest wait for a table lock before a DDL step gives up (and the next run retries). Default 5 s. */
  lockTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface EnsurePartitionsOptions {
  /** Also create partitions back to this time, e.g. before loading history. Default: premakeBoundary. */
  from?: Date;
}

/**
 * Runs a table's partition lifecycle: premake, default-partition check, retention (detach, archive,
 * verify, drop) and archive purge. Every step is idempotent and guarded by an advisory lock per table,
 * so any number of instances may run it on any schedule.
 */
export class PartitionMaintainer {
  private readonly now: () => Date;
  private readonly lockTimeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly pool: pg.Pool,
    options: PartitionMaintainerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
    this.log = options.log ?? (() => undefined);
  }

  /** Ensures partitions exist from premakeBoundary (the current interval, or back to lateArrival) through `premake` intervals ahead. A second caller waits, then finds nothing to do. */
  async ensurePartitions(
    policy: PartitionPolicy,
    options: EnsurePartitionsOptions = {},
  ): Promise<PremakeReport> {
    return withAdvisoryLock(this.pool, `remedy.partitioning.premake:${policy.qualifiedName}`, (client) =>
      withLockTimeout(client, this.lockTimeoutMs, async () => {
        await assertRangePartitioned(client, policy);
        const catalog = await readPartitionCatalog(client, policy);
        let defaultPartition = catalog.defaultPartition;
        const defaultPartitionCreated = policy.defaultPartition && defaultPartition === undefined;
        if (defaultPartitionCreated) {
          defaultPartition = defaultPartitionName(policy.table);
          await createDefaultPartition(client, policy, defaultPartition);
        }
        const existing = new Set(catalog.attached.map((partition) => partition.name));
        const created: CreatedPartition[] = [];
        for (const start of this.premakeStarts(policy, options.from)) {
          if (existing.has(partitionName(policy.table, start))) continue;
          const partition = await createPartition(client, policy, start, defaultPartition);
          this.log(
            `partitioning: created ${policy.schema}.${partition.name}${partition.rowsMovedFromDefault > 0 ? ` (${partition.rowsMovedFromDefault} rows moved from the default partition)` : ''}`,
          );
          created.push(partition);
        }
        return { table: policy.qualifiedName, created, defaultPartitionCreated };
      }),
    );
  }

  /** Counts rows in the default partition; any at all mean premake fell behind the data. */
  async checkDefaultPartition(policy: PartitionPolicy): Promise<DefaultPartitionReport | undefined> {
    const client = await this.pool.connect();
    try {
      const { defaultPartition } = await readPartitionCatalog(client, policy);
      if (!defaultPartition) return undefined;
      const report = await inspectDefaultPartition(client, policy, defaultPartition);
      if (report.rows > 0)
        this.log(
          `partitioning: ${report.rows} rows in ${policy.schema}.${defaultPartition}: premake is behind`,
        );
      return report;
    } finally {
      client.release();
    }
  }

  /** Retires partitions past the hot window and purges old archives; skipped while another instance does it. */
  async applyRetention(policy: PartitionPolicy): Promise<RetentionReport> {
    const now = this.now();
    const locked = await tryWithAdvisoryLock(
      this.pool,
      `remedy.partitioning.retention:${policy.qualifiedName}`,
      (client) =>
        withLockTimeout(client, this.lockTimeoutMs, async () => {
          await assertRangePartitioned(client, policy);
          const retired = await retireExpiredPartitions(client, policy, now, this.log);
          return { retired, purgedArchives: await purgeExpiredArchives(policy, now) };
        }),
    );
    if (!locked.acquired)
      return { table: policy.qualifiedName, skipped: true, retired: [], purgedArchives: [] };
    return { table: policy.qualifiedName, skipped: false, ...locked.result };
  }

  /** One full pass over every policy. A failing table does not stop the others; the pass then rejects listing each failure. */
  async maintain(policies: readonly PartitionPolicy[]): Promise<MaintenanceReport[]> {
    const reports: MaintenanceReport[] = [];
    const failures: Error[] = [];
    for (const policy of policies) {
      try {
        const premake = await this.ensurePartitions(policy);
        const defaultPartition = await this.checkDefaultPartition(policy);
        reports.push({
          table: policy.qualifiedName,
          premake,
          defaultPartition,
          retention: await this.applyRetention(policy),
        });
      } catch (error) {
        failures.push(
          new Error(`${policy.qualifiedName}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
        );
      }
    }
    if (failures.length > 0)
      throw new AggregateError(
        failures,
        `Partition maintenance failed for ${failures.map((failure) => failure.message).join('; ')}`,
      );
    return reports;
  }

  private premakeStarts(policy: PartitionPolicy, from: Date | undefined): Date[] {
    const now = this.now();
    const boundary = premakeBoundary(policy, now);
    const last = addIntervals(startOfInterval(now, policy.interval), policy.interval, policy.premake);
    const starts: Date[] = [];
    for (
      let start = from && from < boundary ? startOfInterval(from, policy.interval) : boundary;
      start <= last;
      start = addIntervals(start, policy.interval, 1)
    ) {
      starts.push(start);
    }
    return starts;
  }
}
