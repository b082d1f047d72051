import type { LifecycleRule } from '@aws-sdk/client-s3';

/** Storage classes in the order S3 lets objects move down ("waterfall"); a transition never goes back up. */
const CLASS_ORDER = [
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
];
/** Days an object is billed for in a class however early it leaves (S3's minimum storage duration). */
const MINIMUM_DAYS: Record<string, number> = {
  STANDARD_IA: 30,
  INTELLIGENT_TIERING: 0,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};
/** Classes whose objects GetObject refuses (InvalidObjectState) until a restore job has run for hours. */
const NEEDS_RESTORE = ['GLACIER', 'DEEP_ARCHIVE'];
const RULE_KEYS = [
  'ID',
  'Status',
  'Filter',
  'Transitions',
  'Expiration',
  'AbortIncompleteMultipartUpload',
  'NoncurrentVersionTransitions',
  'NoncurrentVersionExpiration',
];

export interface WrittenKeys {
  /** A key the worker writes for an archive's file (playback reads it). */
  archive: string;
  /** A key the media server writes for a recording. */
  recording: string;
}

const isDays = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

/**
 * Problems with a bucket lifecycle configuration (the JSON of S3's PutBucketLifecycleConfiguration) for the media
 * bucket: its shape, S3's own constraints on transitions and expiry, and the policy of livestream:I2 (archives
 * tiered down yet instantly playable and eventually deleted, recordings deleted, incomplete uploads aborted).
 */
export function lifecycleProblems(configuration: unknown, keys: WrittenKeys): string[] {
  const problems: string[] = [];
  const rules = (configuration as { Rules?: unknown } | null)?.Rules;
  if (!Array.isArray(rules) || rules.length === 0) return ['no Rules array'];
  const ids = new Set<string>();
  for (const [index, rule] of (rules as LifecycleRule[]).entries()) {
    const name = rule.ID ?? `rule ${index}`;
    if (typeof rule.ID !== 'string' || rule.ID.length === 0 || rule.ID.length > 255)
      problems.push(`${name}: ID must be 1–255 characters`);
    else if (ids.has(rule.ID)) problems.push(`${name}: duplicate ID`);
    else ids.add(rule.ID);
    for (const key of Object.keys(rule))
      if (!RULE_KEYS.includes(key)) problems.push(`${name}: unknown field ${key}`);
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled')
      problems.push(`${name}: Status must be Enabled or Disabled`);
    if (typeof rule.Filter?.Prefix !== 'string') problems.push(`${name}: Filter.Prefix must be a string`);
    if (!rule.Transitions && !rule.Expiration && !rule.AbortIncompleteMultipartUpload)
      problems.push(`${name}: no action`);
    problems.push(...transitionProblems(name, rule));
    if (
      rule.AbortIncompleteMultipartUpload &&
      !isDays(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation)
    )
      problems.push(`${name}: DaysAfterInitiation must be a positive whole number`);
  }

  const covering = (key: string) =>
    (rules as LifecycleRule[]).filter(
      (rule) =>
        rule.Status === 'Enabled' &&
        typeof rule.Filter?.Prefix === 'string' &&
        key.startsWith(rule.Filter.Prefix),
    );
  const archiveRules = covering(keys.archive);
  const archiveTransitions = archiveRules.flatMap((rule) => rule.Transitions ?? []);
  if (archiveTransitions.length === 0) problems.push(`no rule tiers ${keys.archive} down`);
  for (const transition of archiveTransitions)
    if (NEEDS_RESTORE.includes(String(transition.StorageClass)))
      problems.push(
        `archives go to ${transition.StorageClass}: playback would need a restore of hours first`,
      );
  if (!archiveRules.some((rule) => rule.Expiration)) problems.push(`no rule expires ${keys.archive}`);
  if (!covering(keys.recording).some((rule) => rule.Expiration))
    problems.push(`no rule expires ${keys.recording}`);
  for (const key of [keys.archive, keys.recording])
    if (!covering(key).some((rule) => rule.AbortIncompleteMultipartUpload))
      problems.push(`incomplete multipart uploads under ${key} are never aborted`);
  return problems;
}

function transitionProblems(name: string, rule: LifecycleRule): string[] {
  const problems: string[] = [];
  const transitions = rule.Transitions ?? [];
  let previousDays = 0;
  let previousClass = -1;
  for (const transition of transitions) {
    const storageClass = String(transition.StorageClass);
    const order = CLASS_ORDER.indexOf(storageClass);
    if (order < 0) problems.push(`${name}: unknown storage class ${storageClass}`);
    if (!isDays(transition.Days)) {
      problems.push(`${name}: transition to ${storageClass} needs Days (a positive whole number)`);
      continue;
    }
    if (transition.Days <= previousDays)
      problems.push(`${name}: transition to ${storageClass} is not later than the one before`);
    if (order <= previousClass)
      problems.push(`${name}: ${storageClass} does not come after the class before it`);
    if ((storageClass === 'STANDARD_IA' || storageClass === 'ONEZONE_IA') && transition.Days < 30)
      problems.push(`${name}: S3 moves objects to ${storageClass} after 30 days at the earliest`);
    previousDays = transition.Days;
    previousClass = order;
  }
  const expiry = rule.Expiration?.Days;
  if (rule.Expiration && !isDays(expiry))
    problems.push(`${name}: Expiration.Days must be a positive whole number`);
  const last = transitions.at(-1);
  if (isDays(expiry) && last !== undefined && isDays(last.Days)) {
    const paidUntil = last.Days + (MINIMUM_DAYS[String(last.StorageClass)] ?? 0);
    if (expiry < paidUntil)
      problems.push(
        `${name}: expires at ${expiry} days, before ${last.StorageClass}'s minimum storage ends (${paidUntil})`,
      );
  }
  return problems;
}
