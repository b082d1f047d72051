import type { FindingResult } from './run-findings.js';
import type { VariantResult } from './run-measurement.js';

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function variantOf(
  result: FindingResult,
  variant: VariantResult['variant'],
): VariantResult | undefined {
  return result.variants.find((candidate) => candidate.variant === variant);
}

/** How many times worse the flawed design is, in the metric's own direction ("∞" when the remedy is 0). */
export function improvementRatio(result: FindingResult): string {
  const flawed = variantOf(result, 'flawed')?.value;
  const remediated = variantOf(result, 'remediated')?.value;
  if (flawed === undefined || remediated === undefined) return '—';
  const [worse, better] =
    result.finding.metric.better === 'lower' ? [flawed, remediated] : [remediated, flawed];
  if (better === 0) return worse === 0 ? '1×' : '∞';
  return `${formatNumber(worse / better)}×`;
}

export function verdict(result: FindingResult): string {
  if (result.error) return 'ERROR';
  return result.proven ? 'proven' : 'NOT PROVEN';
}

export function formatVariant(result: FindingResult, variant: VariantResult['variant']): string {
  const measured = variantOf(result, variant);
  if (!measured)
    return result.finding.kind === 'before-after' || variant === 'remediated'
      ? '—'
      : `(${result.finding.kind})`;
  return formatNumber(measured.value);
}

/** The values measured with each flaw put back, with the ones the proof did not catch marked. */
export function formatFlawsPutBack(result: FindingResult): string {
  if (result.flawsPutBack.length === 0) return '—';
  return result.flawsPutBack
    .map((putBack) => `${formatNumber(putBack.value)}${putBack.caught ? '' : ' (NOT CAUGHT)'}`)
    .join(', ');
}

/** Text for one Markdown table cell: a bare `|` would end the cell and break the table. */
export function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|');
}
