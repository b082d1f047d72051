import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ERROR_RATIO_SLO, LATENCY_SLOS } from '../src/slo/slos.js';

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
}

const rulesFile = new URL('../../../infra/prometheus/rules/event-registration.yml', import.meta.url);
// Prettier pads Markdown table cells; compare with runs of spaces collapsed.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/ {2,}/g, ' ');
const rules = (parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);

const asText = (seconds: number): string => (seconds < 1 ? `${seconds * 1000} ms` : `${seconds} s`);

describe('the SLOs say the same thing in code, README and alert rules (events:C-3)', () => {
  it.each(LATENCY_SLOS.map((slo) => [slo.name, slo] as const))('%s latency', (_name, slo) => {
    const rule = rules.find((candidate) => candidate.labels?.['slo'] === slo.name);
    expect(rule).toBeDefined();
    expect(rule!.expr).toContain(`histogram_quantile(${slo.quantile},`);
    expect(rule!.expr).toContain(`method="${slo.method}",route="${slo.route}"`);
    expect(rule!.expr.trim().endsWith(`> ${slo.objectiveSeconds}`)).toBe(true);
    expect(readme).toContain(`| ${slo.method} ${slo.route} | p95 | ${asText(slo.objectiveSeconds)} |`);
  });

  it('error ratio', () => {
    const rule = rules.find((candidate) => candidate.labels?.['slo'] === 'error-ratio');
    expect(rule?.expr.trim().endsWith(`> ${ERROR_RATIO_SLO}`)).toBe(true);
    expect(readme).toContain(`| 5xx responses | share over 5 min | below ${ERROR_RATIO_SLO * 100} % |`);
  });
});
