import { type PartitionInterval, startOfInterval } from './partition-interval.js';

// PostgreSQL truncates identifiers past 63 bytes; the longest suffix we add is "_default" / "_pYYYYMMDD".
export const MAX_PARENT_TABLE_NAME_LENGTH = 63 - '_pYYYYMMDD'.length;

/** `<table>_pYYYYMMDD` of the partition's first day: sorts by time and says which range it holds. */
export function partitionName(table: string, start: Date): string {
  return `${table}_p${start.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function defaultPartitionName(table: string): string {
  return `${table}_default`;
}

/** The start of the range a managed partition name stands for, or undefined for any other name. */
export function parsePartitionStart(
  table: string,
  name: string,
  interval: PartitionInterval,
): Date | undefined {
  if (!name.startsWith(`${table}_p`)) return undefined;
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(name.slice(table.length + 2));
  if (!digits) return undefined;
  const start = new Date(Date.UTC(Number(digits[1]), Number(digits[2]) - 1, Number(digits[3])));
  if (partitionName(table, start) !== name) return undefined;
  return startOfInterval(start, interval).getTime() === start.getTime() ? start : undefined;
}
