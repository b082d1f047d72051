/** A calendar length, applied in UTC: `{ days: 90 }`, `{ months: 3 }`, `{ years: 7 }`. */
export interface Duration {
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
}

const UNITS = ['years', 'months', 'weeks', 'days'] as const;

export function subtractDuration(date: Date, duration: Duration): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(
    result.getUTCFullYear() - (duration.years ?? 0),
    result.getUTCMonth() - (duration.months ?? 0),
  );
  result.setUTCDate(result.getUTCDate() - 7 * (duration.weeks ?? 0) - (duration.days ?? 0));
  return result;
}

/** Why the duration is unusable, or undefined when it is a positive whole number of calendar units. */
export function durationProblem(duration: Duration | undefined): string | undefined {
  if (typeof duration !== 'object' || duration === null) return 'must be a duration such as { days: 90 }';
  const unknown = Object.keys(duration).filter((key) => !(UNITS as readonly string[]).includes(key));
  if (unknown.length > 0) return `has unknown unit(s) ${unknown.join(', ')} (use ${UNITS.join(', ')})`;
  const values = UNITS.map((unit) => duration[unit]).filter((value) => value !== undefined);
  if (values.some((value) => !Number.isInteger(value) || value < 0)) return 'units must be whole numbers ≥ 0';
  if (!values.some((value) => value > 0)) return 'must be longer than zero';
  return undefined;
}

export function describeDuration(duration: Duration): string {
  return UNITS.filter((unit) => (duration[unit] ?? 0) > 0)
    .map((unit) => `${duration[unit]} ${unit}`)
    .join(' ');
}
