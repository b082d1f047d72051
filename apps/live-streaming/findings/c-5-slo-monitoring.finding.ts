import { readFileSync } from 'node:fs';
import { METRICS_REGISTRY } from '@remedy/observability';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import YAML from 'yaml';
import { UnmonitoredRegistry } from '../katas/c-5-no-monitoring.flawed.js';
import { LATENCY_SLOS } from '../src/slo/slos.js';
import { ApiClient, TEST_PASSWORD } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
}

type Run = 'flawed' | 'remediated' | 'alert rule on a metric not exported';

const rulesFile = new URL('../../../infra/prometheus/rules/live-streaming.yml', import.meta.url);
const dashboardFile = new URL('../../../infra/grafana/dashboards/live-streaming.json', import.meta.url);

/** Every PromQL expression of the Grafana dashboard's panels. */
function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
}

function alertRules(run: Run): Rule[] {
  const rules = (
    YAML.parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((group) => group.rules);
  if (run !== 'alert rule on a metric not exported') return rules;
  // The rule file written against a metric name the app never had (milliseconds instead of seconds).
  return rules.map((rule) =>
    rule.labels?.['slo'] === 'followers'
      ? {
          ...rule,
          expr: rule.expr.replace('http_request_duration_seconds_bucket', 'http_request_duration_ms_bucket'),
        }
      : rule,
  );
}

/** Series names a PromQL expression selects: every identifier followed by a label matcher `{…}`. */
function metricsNamedBy(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((match) => match[1]!);
}

/** Every series name /metrics exposes (a histogram `h` as h_bucket, h_sum, h_count). */
function exportedSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    names.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]);
  }
  return names;
}

function plugsFor(run: Run): ProviderPlug[] {
  return run === 'flawed' ? [{ provide: METRICS_REGISTRY, useValue: new UnmonitoredRegistry() }] : [];
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const testApp = await startTestApp(ctx, {}, { plugs: plugsFor(run) });
  let exposition: string;
  try {
    const api = new ApiClient(testApp.url);
    const streamer = await api.signup('c5_streamer@example.com');
    const viewer = await api.signup('c5_viewer@example.com');
    await api.login('c5_viewer@example.com', TEST_PASSWORD);
    await api.expect(204, 'POST', `/users/${streamer.user.id}/follow`, undefined, viewer.accessToken);
    for (const path of ['profile', 'followers', 'following']) {
      await api.expect(200, 'GET', `/users/${streamer.user.id}/${path}`, undefined, viewer.accessToken);
    }
    const scrape = await fetch(`${testApp.url}/metrics`);
    exposition = await scrape.text();
  } finally {
    await testApp.close();
  }
  const exported = exportedSeries(exposition);
  const routesWithoutHistogram = LATENCY_SLOS.filter(
    (slo) =>
      !exposition
        .split('\n')
        .some(
          (line) =>
            line.startsWith('http_request_duration_seconds_bucket{') &&
            line.includes(`method="${slo.method}"`) &&
            line.includes(`route="${slo.route}"`) &&
            line.includes('service="live-streaming"'),
        ),
  ).map((slo) => `${slo.method} ${slo.route}`);
  const rules = alertRules(run);
  const blindRules = rules
    .filter((rule) => metricsNamedBy(rule.expr).some((name) => !exported.has(name)))
    .map((rule) => rule.alert);
  const blindPanels = dashboardExpressions().filter((expr) =>
    metricsNamedBy(expr).some((name) => !exported.has(name)),
  ).length;
  const slosWithoutAlert = LATENCY_SLOS.filter(
    (slo) => !rules.some((rule) => rule.labels?.['slo'] === slo.name),
  ).map((slo) => slo.name);
  ctx.log(
    `${run}: ${exported.size} series exported; ${routesWithoutHistogram.length} SLO routes without a histogram, ` +
      `${blindRules.length} of ${rules.length} alert rules on metrics not exported`,
  );
  return {
    value: routesWithoutHistogram.length + blindRules.length + blindPanels + slosWithoutAlert.length,
    details: {
      'series names in /metrics': exported.size,
      [`SLO routes without a request histogram (of ${LATENCY_SLOS.length})`]:
        routesWithoutHistogram.join(', ') || 'none',
      [`alert rules naming a metric the app does not export (of ${rules.length})`]:
        blindRules.join(', ') || 'none',
      'dashboard queries naming a metric the app does not export': blindPanels,
      'latency SLOs without an alert rule': slosWithoutAlert.join(', ') || 'none',
    },
  };
}

export default defineFinding({
  id: 'livestream:C5',
  title: 'No SLAs and no monitoring',
  explanation:
    'The design names no service levels and measures nothing, so a slow follow list or a failing login is noticed ' +
    'by users first. The remedy writes the SLOs down (src/slo/slos.ts and the README: p95 per route, 5xx share ' +
    'below 1 %), exports per-route request-duration histograms (route templates, never raw URLs), DB query ' +
    'histograms and pool gauges at /metrics, exports the objectives as gauges, and ships Prometheus alert rules ' +
    '(infra/prometheus/rules/live-streaming.yml) for each objective and for pool saturation. The proof sends traffic ' +
    'through every SLO route of the real app, scrapes its /metrics, and counts SLO routes without a histogram, ' +
    'alert rules and Grafana dashboard queries whose expression names a series the app does not export, and ' +
    'objectives without a rule.',
  fix: [
    'src/slo/slos.ts',
    'src/slo/slo-metrics.ts',
    'src/app.module.ts',
    '../../infra/prometheus/rules/live-streaming.yml',
    '../../infra/grafana/dashboards/live-streaming.json',
  ],
  difficulty: 1,
  hints: [
    'How would anyone learn that the follower list got slow, before the users say so?',
    'Decide what "fast enough" is per route, then measure every request against it.',
    'Alert rules are only as good as the series they read: each must name a metric the app really exports.',
    'The technique: SLOs written down, request-duration histograms labelled by route at /metrics, alert rules on them.',
  ],
  seam: 'METRICS_REGISTRY (provider of ObservabilityModule) ← katas/c-5-no-monitoring.flawed.ts UnmonitoredRegistry',
  flawsPutBack: {
    'alert rule on a metric not exported':
      'the followers latency rule written against http_request_duration_ms_bucket, a series the app never exports',
  },
  metric: {
    name: 'SLO routes without a histogram + alert rules and dashboard queries on metrics not exported + SLOs without a rule',
    unit: 'gaps',
    better: 'lower',
  },
  measure,
  flawed: (gaps) => gaps >= LATENCY_SLOS.length,
  remediated: (gaps) => gaps === 0,
  timeoutMs: 60_000,
});
