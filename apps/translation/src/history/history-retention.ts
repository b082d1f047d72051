import {
  FilesystemArchiveStore,
  PartitionMaintainer,
  type ArchiveStore,
  type MaintenanceReport,
  type PartitionPolicy,
} from '@remedy/partitioning';
import type pg from 'pg';
import { historyPartitionPolicy } from './history.policy.js';

export interface HistoryRetentionOptions {
  /** The clock partitions and the hot window are computed from (pinned by tests). */
  now?: () => Date;
  log?: (line: string) => void;
}

/**
 * One pass of translation_history's lifecycle (polyglot-a:C-1, polyglot-b:C-2): make the days ahead, report rows
 * stuck in the default partition, and retire every day past the 30-day hot window as
 *   detach → gzip NDJSON into the archive store → read it back and compare → drop.
 * Each step is re-entrant: a pass that dies half-way leaves a detached day with its managed name, which the next
 * pass archives again (over any partial file) before dropping it, so a row leaves PostgreSQL only once its archive
 * has been read back whole.
 */
export class HistoryRetention {
  readonly policy: PartitionPolicy;
  readonly maintainer: PartitionMaintainer;

  constructor(pool: pg.Pool, store: ArchiveStore, options: HistoryRetentionOptions = {}) {
    this.policy = historyPartitionPolicy(store);
    this.maintainer = new PartitionMaintainer(pool, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** The archive of a mounted directory: files are written under a temporary name and renamed when whole. */
  static inDirectory(
    pool: pg.Pool,
    directory: string,
    options: HistoryRetentionOptions = {},
  ): HistoryRetention {
    return new HistoryRetention(pool, new FilesystemArchiveStore(directory), options);
  }

  async runOnce(): Promise<MaintenanceReport> {
    const [report] = await this.maintainer.maintain([this.policy]);
    if (!report) throw new Error('partition maintenance reported nothing for translation_history');
    return report;
  }
}
