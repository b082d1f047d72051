import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { declaredSeries, seriesNamedBy, useTestContext } from '@remedy/testing';
import YAML from 'yaml';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(documentsHarness);

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
}

const rulesFile = new URL('../../../infra/prometheus/rules/documents.yml', import.meta.url);
const dashboardFile = new URL('../../../infra/grafana/dashboards/documents.json', import.meta.url);

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

/** The `method` and `route` an SLO rule judges, from its http_request_duration_seconds matcher. */
function sloRoute(expr: string): string | null {
  const method = /method="([A-Z]+)"/.exec(expr)?.[1];
  const route = /route="([^"]+)"/.exec(expr)?.[1];
  return method && route ? `${method} ${route}` : null;
}

describe('alert rules and the dashboard read series the app exports', () => {
  let testApp: TestApp;
  let exposition: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    // One request to each SLO's route (refused without a token: still a request of that route), so its
    // route label is on /metrics as a scraper sees it once traffic flows.
    for (const rule of alertRules()) {
      const route = sloRoute(rule.expr);
      if (route === null) continue;
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(':id', '00000000-0000-4000-8000-000000000000');
      await fetch(`${testApp.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
    }
    exposition = await (await fetch(`${testApp.url}/metrics`)).text();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('every alert expression names only series /metrics declares', () => {
    const exported = declaredSeries(exposition);
    const blind = alertRules().flatMap((rule) =>
      seriesNamedBy(rule.expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(blind).toEqual([]);
  });

  it('every dashboard query names only series /metrics declares', () => {
    const exported = declaredSeries(exposition);
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.flatMap((expr) => seriesNamedBy(expr).filter((name) => !exported.has(name)))).toEqual([]);
  });

  it("every latency SLO rule judges a route the app's request histogram labels", () => {
    const labelled = new Set(
      [...exposition.matchAll(/^http_request_duration_seconds_count\{([^}]*)\}/gm)].map((match) => {
        const labels = match[1]!;
        return `${/method="([^"]+)"/.exec(labels)?.[1]} ${/route="([^"]+)"/.exec(labels)?.[1]}`;
      }),
    );
    const routes = alertRules()
      .map((rule) => sloRoute(rule.expr))
      .filter((route): route is string => route !== null);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((route) => !labelled.has(route))).toEqual([]);
  });

  it('alerts cover the SLOs, the index lag, the snapshot lag and failed compactions', () => {
    const watched = new Set(alertRules().flatMap((rule) => seriesNamedBy(rule.expr)));
    for (const series of [
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'documents_search_index_lag_seconds_bucket',
      'documents_collab_unfolded_updates_max',
      'documents_collab_compactions_failed_total',
    ])
      expect(watched).toContain(series);
  });
});
