import type { ApiFieldProblems } from '@remedy/http';
import { METRIC_RANGES } from '../ingest/reading-validation.js';
import type { VitalMetric } from './alert-rule.entity.js';

/** The reading field each rule metric is evaluated against. */
const READING_FIELD = {
  heart_rate: 'heartRate',
  spo2: 'spo2',
  systolic: 'systolic',
  diastolic: 'diastolic',
  temperature: 'temperature',
} as const satisfies Record<VitalMetric, keyof typeof METRIC_RANGES>;

/**
 * What is wrong with a rule's thresholds, per field. A threshold outside the range of readings ingest
 * accepts for its metric can never be crossed (`max: 1e308`, heart rate `min: -5`): the rule would look like
 * an armed alarm and never sound. Bounding by the ingest table keeps the two in step: a reading the
 * service stores can always reach a threshold it accepts.
 */
export function thresholdProblems(
  metric: VitalMetric,
  min: number | null,
  max: number | null,
): ApiFieldProblems[] {
  const range = METRIC_RANGES[READING_FIELD[metric]];
  const outside = `must lie within the ${metric} readings accepted, ${range.min} to ${range.max}`;
  const byField = new Map<'min' | 'max', string[]>();
  const add = (field: 'min' | 'max', problem: string) =>
    byField.set(field, [...(byField.get(field) ?? []), problem]);
  if (min === null && max === null) add('min', 'min or max must be set');
  if (min !== null && (min < range.min || min > range.max)) add('min', outside);
  if (max !== null && (max < range.min || max > range.max)) add('max', outside);
  if (min !== null && max !== null && min > max) add('min', 'must not exceed max');
  return [...byField].map(([field, problems]) => ({ field, problems }));
}
