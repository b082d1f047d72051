import type pg from 'pg';
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

export type FindingContext = Omit<IsolatedContext, 'dispose'>;

export interface FindingDefinition<Flaw extends string = string> {
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
  /**
   * Where the flawed design plugs into the real service, so both variants take the same measured path and
   * differ only in the fix (a Nest provider, a migration set, a config value, a page). Where the flaw has no
   * such seam, say why the kata stands alone.
   */
  seam: string;
  /**
   * Ways to undo the fix inside the remediated measurement, by name → what is put back. `npm test` runs the
   * measurement once per entry and requires the `remediated` predicate to reject the value, so a proof that
   * stays green when the fix is removed fails. For design and after-only findings, each entry breaks the
   * artefact the check reads (a wrong pool size, a missing gauge). At least one is required.
   */
  flawsPutBack: Record<Flaw, string>;
  /**
   * Rows every run reads and none changes (a million readings for a report): written once per test run into a
   * template of the finding's own, which each run's database is cloned from, so the runs share the cost of the
   * inserts. `measure` finds what it needs (ids, time ranges) by querying them.
   */
  seed?: (pool: pg.Pool) => Promise<void>;
  /** Measures one run: a variant, or the remediated measurement with the named flaw put back. */
  measure(run: Variant | NoInfer<Flaw>, ctx: FindingContext): Promise<number | Measurement>;
  /** Holds when the flaw shows. Required for before-after. */
  flawed?: (value: number) => boolean;
  /** Holds when the flaw is gone. */
  remediated: (value: number) => boolean;
  timeoutMs?: number;
  /** For `npm run kata`: how hard fixing the flaw in the kata is, 1 (one change) to 3 (a design to rethink). */
  difficulty?: 1 | 2 | 3;
  /**
   * For `npm run kata`: 2–4 hints shown one at a time, from a nudge to the technique's name. A before-after
   * finding with hints and a difficulty is a kata exercise; one without is a reading exercise.
   */
  hints?: string[];
}

export interface Finding
  extends
    Required<Pick<FindingDefinition, 'kind' | 'timeoutMs' | 'alsoCovers'>>,
    Omit<FindingDefinition, 'kind' | 'timeoutMs' | 'alsoCovers'> {}

const ID_PATTERN = /^[a-z][a-z0-9-]*:[A-Za-z0-9-]+$/;
const VARIANTS: readonly string[] = ['flawed', 'remediated'] satisfies Variant[];

export function defineFinding<Flaw extends string>(definition: FindingDefinition<Flaw>): Finding {
  const kind = definition.kind ?? 'before-after';
  const flaws = Object.keys(definition.flawsPutBack ?? {});
  const problems: string[] = [];
  if (!ID_PATTERN.test(definition.id)) problems.push(`id "${definition.id}" must look like "<review>:<id>"`);
  if (kind === 'before-after' && !definition.flawed)
    problems.push('a before-after finding needs a `flawed` predicate');
  if (kind !== 'before-after' && definition.flawed)
    problems.push(`a ${kind} finding has no flawed variant, so no \`flawed\` predicate`);
  if (kind !== 'before-after' && !definition.why)
    problems.push(`a ${kind} finding must say \`why\` the flaw is not reproduced`);
  if (!definition.seam.trim()) problems.push('a finding must name its `seam` (or say why it has none)');
  if (flaws.length === 0)
    problems.push('a finding needs at least one entry in `flawsPutBack`, or nothing shows it can fail');
  if (definition.hints && (definition.hints.length < 2 || definition.hints.length > 4))
    problems.push(
      `\`hints\` takes 2 to 4 hints, from a nudge to the technique's name (got ${definition.hints.length})`,
    );
  if ((definition.hints === undefined) !== (definition.difficulty === undefined))
    problems.push('a kata exercise needs both `hints` and `difficulty`');
  const clash = flaws.filter((flaw) => VARIANTS.includes(flaw));
  if (clash.length > 0) problems.push(`\`flawsPutBack\` may not be named ${clash.join(' or ')}`);
  if (problems.length > 0) throw new Error(`defineFinding(${definition.id}): ${problems.join('; ')}`);
  return {
    ...(definition as unknown as FindingDefinition),
    kind,
    timeoutMs: definition.timeoutMs ?? 120_000,
    alsoCovers: definition.alsoCovers ?? [],
  };
}

export function variantsOf(finding: Finding): Variant[] {
  return finding.kind === 'before-after' ? ['flawed', 'remediated'] : ['remediated'];
}

export function flawsPutBackOf(finding: Finding): Array<{ flaw: string; description: string }> {
  return Object.entries(finding.flawsPutBack).map(([flaw, description]) => ({ flaw, description }));
}

export function allIds(finding: Finding): string {
  return [finding.id, ...finding.alsoCovers].join(', ');
}
