import type { StoredReading } from '../storage/stored-reading.js';
import type { AlertRule, VitalMetric } from './alert-rule.entity.js';

const READING_FIELD: Record<VitalMetric, keyof StoredReading> = {
  heart_rate: 'heartRate',
  spo2: 'spo2',
  systolic: 'systolic',
  diastolic: 'diastolic',
  temperature: 'temperature',
};

export interface RuleVerdict {
  rule: AlertRule;
  value: number;
  /** The bound that was crossed; undefined when the value is within range. */
  threshold: number | undefined;
}

/** How one reading stands against one rule; undefined when the reading lacks the rule's metric. */
export function judge(reading: StoredReading, rule: AlertRule): RuleVerdict | undefined {
  const value = reading[READING_FIELD[rule.metric]];
  if (typeof value !== 'number') return undefined;
  if (rule.min !== null && value < rule.min) return { rule, value, threshold: rule.min };
  if (rule.max !== null && value > rule.max) return { rule, value, threshold: rule.max };
  return { rule, value, threshold: undefined };
}
