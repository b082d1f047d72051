/** Midnight UTC of `date`'s day, shifted by whole days. */
export function startOfUtcDay(date: Date, offsetDays = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + offsetDays));
}
