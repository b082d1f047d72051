/** The width of one partition. Boundaries are UTC midnights; weeks start on Monday (ISO 8601). */
export type PartitionInterval = 'day' | 'week' | 'month';

export const PARTITION_INTERVALS: readonly PartitionInterval[] = ['day', 'week', 'month'];

export function startOfInterval(date: Date, interval: PartitionInterval): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  switch (interval) {
    case 'day':
      return new Date(Date.UTC(year, month, day));
    case 'week':
      return new Date(Date.UTC(year, month, day - ((date.getUTCDay() + 6) % 7)));
    case 'month':
      return new Date(Date.UTC(year, month, 1));
  }
}

/** `start` must already be the start of an interval. */
export function addIntervals(start: Date, interval: PartitionInterval, count: number): Date {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  const day = start.getUTCDate();
  switch (interval) {
    case 'day':
      return new Date(Date.UTC(year, month, day + count));
    case 'week':
      return new Date(Date.UTC(year, month, day + 7 * count));
    case 'month':
      return new Date(Date.UTC(year, month + count, 1));
  }
}
