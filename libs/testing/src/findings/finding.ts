import type { IsolatedContext } from '../context/isolated-context.js';

export type Variant = 'flawed' | 'remediated';

/**
 * before-after: the flaw is reproduced on the kata and shown gone on the real code (the default).
 * after-only: the flaw cannot be reproduced meaningfully on one machine; the remedy is still measured.
 * design: a capacity/operations point; the measurement checks the artefact the design document produced.
 */
export type FindingKind = 'before-after' | 'after-only' | 'design';

export interface Metric {
  name: string;
  unit: string;
  better: 'lower' | 'higher';
}

export interface Measurement {
  value: number;
  /** Extra numbers or facts shown in the report next to the metric (e.g. queries, wall time). */
  details?: Record<string, number | string>;
}

export type FindingContext = Omit<IsolatedContext, 'dispose'> & { variant: Variant };

export interface FindingDefinition {
  id: string;
  /** Further IDs the same proof covers (where two reviews report the same flaw). */
  alsoCovers?: string[];
  title: string;
  /** In our own words: what the flaw costs and what the remedy changes (shown in the ledger). */
  explanation?: string;
  /** Where the fix lives, relative to the package (shown in the ledger). */
  fix?: string[];
  kind?: FindingKind;
  /** Required for after-only and design: why the flaw is not reproduced. */
  why?: string;
  metric: Metric;
  measure(variant: Variant, ctx: FindingContext): Promise<number | Measurement>;
  /** Holds when the flaw shows. Required for before-after. */
  flawed?: (value: number) => boolean;
  /** Holds when the flaw is gone. */
  remediated: (value: number) => boolean;
  timeoutMs?: number;
}

export interface Finding
  extends
    Required<Pick<FindingDefinition, 'kind' | 'timeoutMs' | 'alsoCovers'>>,
    Omit<FindingDefinition, 'kind' | 'timeoutMs' | 'alsoCovers'> {}

const ID_PATTERN = /^[a-z][a-z0-9-]*:[A-Za-z0-9-]+$/;

export function defineFinding(definition: FindingDefinition): Finding {
  const kind = definition.kind ?? 'before-after';
  const problems: string[] = [];
  if (!ID_PATTERN.test(definition.id)) problems.push(`id "${definition.id}" must look like "<review>:<id>"`);
  if (kind === 'before-after' && !definition.flawed)
    problems.push('a before-after finding needs a `flawed` predicate');
  if (kind !== 'before-after' && definition.flawed)
    problems.push(`a ${kind} finding has no flawed variant, so no \`flawed\` predicate`);
  if (kind !== 'before-after' && !definition.why)
    problems.push(`a ${kind} finding must say \`why\` the flaw is not reproduced`);
  if (problems.length > 0) throw new Error(`defineFinding(${definition.id}): ${problems.join('; ')}`);
  return {
    ...definition,
    kind,
    timeoutMs: definition.timeoutMs ?? 120_000,
    alsoCovers: definition.alsoCovers ?? [],
  };
}

export function variantsOf(finding: Finding): Variant[] {
  return finding.kind === 'before-after' ? ['flawed', 'remediated'] : ['remediated'];
}

export function allIds(finding: Finding): string {
  return [finding.id, ...finding.alsoCovers].join(', ');
}
