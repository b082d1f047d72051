import { allIds } from './finding.js';
import {
  formatFlawsPutBack,
  formatVariant,
  improvementRatio,
  markdownCell,
  verdict,
} from './format-result.js';
import type { FindingResult } from './run-findings.js';

export function renderFindingsMarkdown(
  results: FindingResult[],
  meta: { generatedAt: string; servers: string },
): string {
  const lines = [
    '# Findings report',
    '',
    `Generated ${meta.generatedAt} on ${meta.servers}.`,
    '',
    '| ID | package | metric | flawed | remediated | flaw put back | ratio | verdict |',
    '|---|---|---|---:|---:|---:|---:|---|',
    ...results.map(
      (result) =>
        `| ${[allIds(result.finding), result.packagePath, `${result.finding.metric.name} (${result.finding.metric.unit}, ${result.finding.metric.better} is better)`, formatVariant(result, 'flawed'), formatVariant(result, 'remediated'), formatFlawsPutBack(result), improvementRatio(result), verdict(result)].map(markdownCell).join(' | ')} |`,
    ),
    '',
  ];
  for (const result of results) {
    lines.push(`## ${allIds(result.finding)}: ${result.finding.title}`, '');
    if (result.finding.why) lines.push(`*${result.finding.kind}*: ${result.finding.why}`, '');
    lines.push(`Seam: ${result.finding.seam}`, '');
    for (const variant of result.variants) {
      const details = Object.entries(variant.details ?? {})
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');
      lines.push(
        `- ${variant.variant}: ${variant.value} ${result.finding.metric.unit}${details ? ` — ${details}` : ''} (${Math.round(variant.durationMs)} ms)`,
      );
    }
    for (const putBack of result.flawsPutBack) {
      lines.push(
        `- flaw put back (${putBack.flaw}: ${putBack.description}): ${putBack.value} ${result.finding.metric.unit} — ${putBack.caught ? 'caught' : 'NOT CAUGHT'} (${Math.round(putBack.durationMs)} ms)`,
      );
    }
    if (result.error) lines.push(`- error: ${result.error}`);
    lines.push('');
  }
  return lines.join('\n');
}
