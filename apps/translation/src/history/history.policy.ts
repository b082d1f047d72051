import { definePartitionPolicy, type ArchiveStore, type PartitionPolicy } from '@remedy/partitioning';
import type { KeysetSort } from '@remedy/pagination';

/**
 * Daily partitions: the hot window is 30 days, so a day is the unit retention drops (a monthly partition would
 * keep up to 59 days of text) and a "last hour" read touches one or two small partitions. Seven days are made
 * ahead so a maintenance run that is late by days still finds today's partition. With `archive`, a retired day
 * is written as gzip NDJSON (one JSON object a line: texts with commas and newlines stay readable) and verified
 * before its partition is dropped (ADR 0050). Without it the policy serves to make partitions and bound reads
 * only: HistoryRetention, the one caller that retires partitions, always passes its store.
 */
export function historyPartitionPolicy(archive?: ArchiveStore): PartitionPolicy {
  return definePartitionPolicy({
    table: 'translation_history',
    column: 'translated_at',
    interval: 'day',
    premake: 7,
    hotRetention: { days: 30 },
    defaultPartition: true,
    ...(archive ? { archive: { store: archive, format: 'ndjson' as const } } : {}),
  });
}

/** A session's history newest first: translation_history_session_idx's order, so a page is one range scan. */
export const HISTORY_SORT: KeysetSort = [
  { column: 'h.translated_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'h.id', type: 'uuid', direction: 'DESC' },
];

export const HISTORY_PAGES = { defaultLimit: 50, maxLimit: 100 } as const;
