import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { declaredSeries, seriesNamedBy, useTestContext } from '@remedy/testing';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';

const ctx = useTestContext(translationHarness);

interface Rule {
  alert: string;
  expr: string;
}

const rulesFile = new URL('../../../infra/prometheus/rules/translation.yml', import.meta.url);
const dashboardFile = new URL('../../../infra/grafana/dashboards/translation.json', import.meta.url);

function alertRules(): Rule[] {
  const parsed = YAML.parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] };
  return parsed.groups.flatMap((group) => group.rules);
}

function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
}

describe('alert rules and the dashboard read series the app exports (polyglot-b:M-4)', () => {
  let testApp: TestApp;
  let exported: Set<string>;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    exported = declaredSeries(await (await fetch(`${testApp.url}/metrics`)).text());
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('every alert expression names only series /metrics declares', () => {
    const rules = alertRules();
    expect(rules.length).toBeGreaterThan(0);
    const blind = rules.flatMap((rule) =>
      seriesNamedBy(rule.expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(blind).toEqual([]);
  });

  it('every dashboard query names only series /metrics declares', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(0);
    const blind = queries.flatMap((expr) => seriesNamedBy(expr).filter((name) => !exported.has(name)));
    expect(blind).toEqual([]);
  });

  it('alerts cover latency percentiles, provider errors, the cache hit rate and open breakers', () => {
    const watched = new Set(alertRules().flatMap((rule) => seriesNamedBy(rule.expr)));
    for (const series of [
      'translation_request_duration_seconds_bucket',
      'translation_provider_calls_total',
      'translation_cache_lookups_total',
      'translation_breaker_state',
    ]) {
      expect(watched).toContain(series);
    }
  });
});
