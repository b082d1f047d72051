import type { AppSource } from './app-source.js';
import type { KubeResource } from './kustomize.js';

/**
 * What an app's rendered manifests must hold (docs/deploy.md), as functions that list problems, so that the
 * test can show each one catching a manifest broken on purpose. Checks that read the app's code (env names,
 * exported metrics, whether an entry serves HTTP) need `source`; for an app not yet in the tree they fall back
 * to the manifest alone.
 */
export interface AppManifests {
  app: string;
  resources: KubeResource[];
  adapter: AdapterConfig;
  source: AppSource | undefined;
  /** Every library's source: metrics the libraries declare for the apps that use them. */
  librarySource: string;
}

/** The Prometheus adapter's rules (infra/k8s/prometheus-adapter): how a /metrics series becomes an HPA metric. */
export interface AdapterConfig {
  rules: AdapterRule[];
  externalRules: AdapterRule[];
}

interface AdapterRule {
  seriesQuery: string;
  name: { as: string };
  resources: { overrides: Record<string, { resource: string }> };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}

interface HttpProbe {
  httpGet?: { path?: string; port?: string | number };
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface Deployment extends KubeResource {
  spec: {
    replicas?: number;
    strategy?: { rollingUpdate?: { maxSurge?: number | string } };
    template: {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        containers: Container[];
        initContainers?: Container[];
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        terminationGracePeriodSeconds?: number;
      };
    };
  };
}

interface MetricIdentifier {
  name: string;
  selector?: { matchLabels?: Record<string, string> };
}

interface HpaMetric {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number } };
  pods?: { metric: MetricIdentifier };
  external?: { metric: MetricIdentifier };
}

interface Autoscaler extends KubeResource {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: HpaMetric[];
    behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } };
  };
}

interface DisruptionBudget extends KubeResource {
  spec: {
    selector?: { matchLabels?: Record<string, string> };
    maxUnavailable?: number | string;
    minAvailable?: number;
  };
}

/**
 * Metrics that a library declares and an app exports by using one of its pieces: the metric, and what in the
 * app's source shows the app uses that piece.
 */
export const LIBRARY_METRICS: Record<string, { usedWhen: RegExp; meaning: string }> = {
  http_request_duration_seconds: {
    usedWhen: /\bObservabilityModule\b/,
    meaning: '@remedy/observability hooks every request of an app that imports ObservabilityModule',
  },
  websocket_connections: {
    usedWhen: /\bWebSocketMetrics\b/,
    meaning: "a gateway counts its sockets with @remedy/observability's WebSocketMetrics",
  },
  queue_jobs: {
    usedWhen: /\bregisterQueueMetrics\b|\bqueues\s*:/,
    meaning: 'BullMQ queues registered with registerQueueMetrics or ObservabilityModule `queues`',
  },
};

/** Env names whose values are credentials: only ever from a Secret. */
const SECRET_NAMES = /SECRET|PASSWORD|TOKEN|ACCESS_KEY|DATABASE.*URL|REDIS.*URL/;
const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:[^/\s@]+@/;
/** Seconds kept between the app's own deadline (SHUTDOWN_GRACE_MS) and the kubelet's SIGKILL. */
export const SHUTDOWN_MARGIN_SECONDS = 5;

export function deployments(resources: KubeResource[]): Deployment[] {
  return resources.filter((resource): resource is Deployment => resource.kind === 'Deployment');
}

function autoscalers(resources: KubeResource[]): Autoscaler[] {
  return resources.filter((resource): resource is Autoscaler => resource.kind === 'HorizontalPodAutoscaler');
}

function budgets(resources: KubeResource[]): DisruptionBudget[] {
  return resources.filter(
    (resource): resource is DisruptionBudget => resource.kind === 'PodDisruptionBudget',
  );
}

function allContainers(deployment: Deployment): Container[] {
  const pod = deployment.spec.template.spec;
  return [...pod.containers, ...(pod.initContainers ?? [])];
}

function appContainer(deployment: Deployment): Container | undefined {
  return deployment.spec.template.spec.containers.find((container) => container.name === 'app');
}

function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

function autoscalerOf(resources: KubeResource[], deployment: Deployment): Autoscaler | undefined {
  return autoscalers(resources).find(
    (hpa) =>
      hpa.spec.scaleTargetRef.kind === 'Deployment' &&
      hpa.spec.scaleTargetRef.name === deployment.metadata.name,
  );
}

/**
 * The entries of one image: `<app>-api` runs src/main.ts, `<app>-worker` src/worker.ts; all in the app's
 * namespace. The worker is expected once the app has a worker entry (or, without the app's code, always); an
 * app without one deploys no worker, which would only crash-loop on a missing file.
 */
export function entryProblems({ app, resources, source }: AppManifests): string[] {
  const problems: string[] = [];
  const entries = { api: 'src/main.ts', worker: 'src/worker.ts' };
  for (const [component, entry] of Object.entries(entries)) {
    if (component === 'worker' && source !== undefined && source.entry(entry) === undefined) {
      if (deployments(resources).some((deployment) => deployment.metadata.name === `${app}-worker`))
        problems.push(`${app}-worker runs ${entry}, which apps/${app} does not have`);
      continue;
    }
    const name = `${app}-${component}`;
    const deployment = deployments(resources).find((candidate) => candidate.metadata.name === name);
    const container = deployment === undefined ? undefined : appContainer(deployment);
    if (container === undefined) {
      problems.push(`no Deployment ${name} with a container "app"`);
      continue;
    }
    if (container.args?.[0] !== entry)
      problems.push(`${name} runs ${String(container.args?.[0])}, not ${entry}`);
    if (source !== undefined && source.entry(entry) === undefined)
      problems.push(`apps/${app}/${entry} does not exist`);
  }
  for (const deployment of deployments(resources)) {
    for (const container of allContainers(deployment)) {
      if (container.image.replace(/:.*$/, '') !== `remedy/${app}`) {
        problems.push(
          `${deployment.metadata.name}/${container.name} runs image ${container.image}, not remedy/${app}`,
        );
      }
    }
  }
  for (const resource of resources) {
    if (resource.kind !== 'Namespace' && resource.metadata.namespace !== app) {
      problems.push(`${resource.kind} ${resource.metadata.name} is not in namespace ${app}`);
    }
  }
  const namespace = resources.find(
    (resource) => resource.kind === 'Namespace' && resource.metadata.name === app,
  );
  if (namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    problems.push(`namespace ${app} does not enforce the restricted Pod Security Standard`);
  }
  return problems;
}

/** Non-root, no privilege escalation, no capabilities, read-only root with a writable /tmp, requests and limits. */
export function containerProblems({ resources }: AppManifests): string[] {
  const problems: string[] = [];
  for (const deployment of deployments(resources)) {
    const pod = deployment.spec.template.spec;
    const name = deployment.metadata.name;
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (pod.securityContext?.runAsUser === 0) problems.push(`${name}: runAsUser is root`);
    for (const container of allContainers(deployment)) {
      const where = `${name}/${container.name}`;
      const security = container.securityContext;
      if (security?.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (security?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
      if (!(security?.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${where}: capabilities not dropped`);
      for (const resource of ['cpu', 'memory']) {
        const request = container.resources?.requests?.[resource];
        const limit = container.resources?.limits?.[resource];
        if (request === undefined) problems.push(`${where}: no ${resource} request`);
        if (limit === undefined) problems.push(`${where}: no ${resource} limit`);
        if (request !== undefined && limit !== undefined && quantity(request) > quantity(limit)) {
          problems.push(`${where}: ${resource} request ${request} above its limit ${limit}`);
        }
      }
    }
    const app = appContainer(deployment);
    if (app !== undefined && !(app.volumeMounts ?? []).some((mount) => mount.mountPath === '/tmp')) {
      problems.push(`${name}: no writable /tmp under the read-only root`);
    }
  }
  return problems;
}

/**
 * An entry that serves HTTP (its file calls `.listen(`; without the app's code, the api entry) has a startup
 * probe on /health…, readiness on /health (dependencies) and liveness on /health/live, on the port the app
 * listens on (PORT), which is also the port Prometheus scrapes. An entry that serves nothing has no HTTP probes:
 * they could never pass.
 */
export function probeProblems({ resources, source }: AppManifests): string[] {
  const problems: string[] = [];
  for (const deployment of deployments(resources)) {
    const container = appContainer(deployment);
    if (container === undefined) continue;
    const name = deployment.metadata.name;
    const entry = container.args?.[0] ?? '';
    const servesHttp =
      source?.entry(entry)?.includes('.listen(') ??
      deployment.spec.template.metadata.labels?.['app.kubernetes.io/component'] === 'api';
    const probes = {
      startupProbe: (path: string) => path.startsWith('/health'),
      readinessProbe: (path: string) => path === '/health',
      livenessProbe: (path: string) => path === '/health/live',
    } as const;
    if (!servesHttp) {
      for (const probe of Object.keys(probes) as (keyof typeof probes)[]) {
        if (container[probe]?.httpGet !== undefined)
          problems.push(`${name}: ${probe} on HTTP, but ${entry} serves none`);
      }
      continue;
    }
    const port = Number(envValue(container, 'PORT'));
    if (!Number.isInteger(port))
      problems.push(`${name}: PORT is not set, so the listening port is the code's default`);
    for (const [probe, pathIsRight] of Object.entries(probes) as [
      keyof typeof probes,
      (path: string) => boolean,
    ][]) {
      const httpGet = container[probe]?.httpGet;
      if (httpGet === undefined) {
        problems.push(`${name}: no ${probe}`);
        continue;
      }
      if (!pathIsRight(httpGet.path ?? '')) problems.push(`${name}: ${probe} on ${String(httpGet.path)}`);
      const probed = container.ports?.find((candidate) =>
        typeof httpGet.port === 'number'
          ? candidate.containerPort === httpGet.port
          : candidate.name === httpGet.port,
      );
      if (probed?.containerPort !== port) {
        problems.push(`${name}: ${probe} on port ${String(httpGet.port)}, the app listens on ${port}`);
      }
    }
    const annotations = deployment.spec.template.metadata.annotations ?? {};
    if (
      annotations['prometheus.io/scrape'] === 'true' &&
      Number(annotations['prometheus.io/port']) !== port
    ) {
      problems.push(
        `${name}: Prometheus scrapes port ${annotations['prometheus.io/port']}, the app listens on ${port}`,
      );
    }
  }
  return problems;
}

/** The pod's grace outlasts the preStop pause plus the app's own shutdown deadline (SHUTDOWN_GRACE_MS). */
export function shutdownProblems({ resources }: AppManifests): string[] {
  const problems: string[] = [];
  for (const deployment of deployments(resources)) {
    const container = appContainer(deployment);
    if (container === undefined) continue;
    const name = deployment.metadata.name;
    const graceMs = Number(envValue(container, 'SHUTDOWN_GRACE_MS'));
    if (!Number.isInteger(graceMs)) {
      problems.push(`${name}: SHUTDOWN_GRACE_MS is not set`);
      continue;
    }
    const command = container.lifecycle?.preStop?.exec?.command ?? [];
    const preStopSeconds = command[0] === 'sleep' ? Number(command[1]) : 0;
    const needed = preStopSeconds + Math.ceil(graceMs / 1000) + SHUTDOWN_MARGIN_SECONDS;
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (grace < needed) {
      problems.push(
        `${name}: terminationGracePeriodSeconds ${grace} < preStop ${preStopSeconds} s + app grace ${graceMs} ms + ${SHUTDOWN_MARGIN_SECONDS} s`,
      );
    }
  }
  return problems;
}

/** CPU utilization targets an autoscaler may aim at: lower wastes pods, higher leaves no headroom for a burst. */
const CPU_TARGET_PERCENT = { min: 40, max: 90 };
/** The shortest scale-down stabilization: removing a pod drops its WebSockets, and load comes back in waves. */
export const MIN_SCALE_DOWN_WINDOW_SECONDS = 60;

/**
 * Every API Deployment autoscales; an autoscaler (autoscaling/v2) keeps ≥ 2 pods with room above them, scales on
 * CPU and on at least one app metric, waits before scaling down, and owns the replica count (the Deployment sets
 * none). A Deployment without one has a fixed count.
 */
export function autoscalingProblems({ resources }: AppManifests): string[] {
  const problems: string[] = [];
  for (const hpa of autoscalers(resources)) {
    const name = hpa.metadata.name;
    const target = hpa.spec.scaleTargetRef;
    const deployment = deployments(resources).find((candidate) => candidate.metadata.name === target.name);
    if (target.kind !== 'Deployment' || deployment === undefined) {
      problems.push(`${name} targets ${target.kind} ${target.name}, which is not in the manifests`);
    } else if (deployment.spec.replicas !== undefined) {
      problems.push(
        `${target.name} sets replicas although ${name} scales it (each apply would reset the count)`,
      );
    }
    if ((hpa.spec.minReplicas ?? 1) < 2)
      problems.push(`${name}: minReplicas ${hpa.spec.minReplicas ?? 1} < 2`);
    if (hpa.apiVersion !== 'autoscaling/v2') problems.push(`${name}: ${hpa.apiVersion}, not autoscaling/v2`);
    if (hpa.spec.maxReplicas <= (hpa.spec.minReplicas ?? 1))
      problems.push(`${name}: maxReplicas ${hpa.spec.maxReplicas} leaves no room above minReplicas`);
    const metrics = hpa.spec.metrics ?? [];
    const cpu = metrics.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
    const utilization = cpu?.resource?.target.averageUtilization ?? 0;
    if (
      cpu?.resource?.target.type !== 'Utilization' ||
      utilization < CPU_TARGET_PERCENT.min ||
      utilization > CPU_TARGET_PERCENT.max
    ) {
      problems.push(
        `${name}: no CPU utilization target from ${CPU_TARGET_PERCENT.min} to ${CPU_TARGET_PERCENT.max} %`,
      );
    }
    const window = hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds;
    if (window === undefined || window < MIN_SCALE_DOWN_WINDOW_SECONDS) {
      problems.push(
        `${name}: scale-down stabilization ${window ?? 'unset'} s < ${MIN_SCALE_DOWN_WINDOW_SECONDS} s`,
      );
    }
    if (!metrics.some((metric) => metric.type === 'Pods' || metric.type === 'External')) {
      problems.push(`${name}: no app metric (Pods or External), CPU only`);
    }
  }
  for (const deployment of deployments(resources)) {
    const name = deployment.metadata.name;
    const scaled = autoscalerOf(resources, deployment) !== undefined;
    const component = deployment.spec.template.metadata.labels?.['app.kubernetes.io/component'];
    if (!scaled && component === 'api') problems.push(`${name}: no autoscaler`);
    if (!scaled && (deployment.spec.replicas ?? 0) < 1)
      problems.push(`${name}: neither autoscaled nor a replica count`);
  }
  return problems;
}

/**
 * Each Pods/External metric of an autoscaler is made by an adapter rule from a series the app exports: a
 * metric its own code declares, or a library metric of a piece the app uses, with label values that occur in
 * that code. A Pods metric is read from the scaled pods' own /metrics, so those pods are scraped.
 */
export function metricProblems({ resources, adapter, source, librarySource }: AppManifests): string[] {
  const problems: string[] = [];
  for (const hpa of autoscalers(resources)) {
    for (const metric of hpa.spec.metrics ?? []) {
      const identifier =
        metric.type === 'Pods'
          ? metric.pods?.metric
          : metric.type === 'External'
            ? metric.external?.metric
            : undefined;
      if (identifier === undefined) continue;
      const where = `${hpa.metadata.name} ${metric.type} metric ${identifier.name}`;
      const perPod = metric.type === 'Pods';
      const rule = (perPod ? adapter.rules : adapter.externalRules).find(
        (candidate) => candidate.name.as === identifier.name,
      );
      if (rule === undefined) {
        problems.push(`${where}: no ${perPod ? '' : 'external '}rule of the Prometheus adapter makes it`);
        continue;
      }
      if (perPod && rule.resources.overrides.pod?.resource !== 'pod')
        problems.push(`${where}: its rule is not per pod`);
      const series = (/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rule.seriesQuery)?.[0] ?? '').replace(
        /_(count|sum|bucket)$/,
        '',
      );
      if (source !== undefined) {
        problems.push(...exportProblems(where, series, identifier, source, librarySource));
      }
      const scraped = (deployment: Deployment) =>
        deployment.spec.template.metadata.annotations?.['prometheus.io/scrape'] === 'true';
      const target = deployments(resources).find(
        (deployment) => deployment.metadata.name === hpa.spec.scaleTargetRef.name,
      );
      if (perPod && target !== undefined && !scraped(target))
        problems.push(`${where}: the scaled pods are not scraped`);
      if (!perPod && !deployments(resources).some(scraped))
        problems.push(`${where}: no pod of the app is scraped`);
    }
  }
  return problems;
}

function exportProblems(
  where: string,
  series: string,
  identifier: MetricIdentifier,
  source: AppSource,
  librarySource: string,
): string[] {
  const declared = (text: string) => text.includes(`name: '${series}'`);
  const library = LIBRARY_METRICS[series];
  const exported =
    declared(source.source) ||
    (library !== undefined && declared(librarySource) && library.usedWhen.test(source.source));
  if (!exported) return [`${where}: apps/${source.name} does not export ${series}`];
  return Object.entries(identifier.selector?.matchLabels ?? {})
    .filter(([, value]) => !source.source.includes(`'${value}'`) && !librarySource.includes(`'${value}'`))
    .map(([label, value]) => `${where}: ${label}="${value}" occurs nowhere in apps/${source.name}`);
}

/** Each Deployment's pods are covered by exactly one budget of their own, and the budget lets a drain proceed. */
export function disruptionProblems({ resources }: AppManifests): string[] {
  const problems: string[] = [];
  const selects = (budget: DisruptionBudget, deployment: Deployment) => {
    const wanted = Object.entries(budget.spec.selector?.matchLabels ?? {});
    const labels = deployment.spec.template.metadata.labels ?? {};
    return wanted.length > 0 && wanted.every(([key, value]) => labels[key] === value);
  };
  for (const deployment of deployments(resources)) {
    const name = deployment.metadata.name;
    const covering = budgets(resources).filter((budget) => selects(budget, deployment));
    if (covering.length !== 1) {
      problems.push(`${name}: covered by ${covering.length} PodDisruptionBudgets, not 1`);
      continue;
    }
    const [budget] = covering as [DisruptionBudget];
    const others = deployments(resources).filter((other) => other !== deployment && selects(budget, other));
    if (others.length > 0)
      problems.push(`${budget.metadata.name} also selects ${others.map((o) => o.metadata.name).join(', ')}`);
    const fewest = autoscalerOf(resources, deployment)?.spec.minReplicas ?? deployment.spec.replicas ?? 1;
    const blocks =
      budget.spec.maxUnavailable === 0 ||
      (budget.spec.maxUnavailable === undefined && (budget.spec.minAvailable ?? 0) >= fewest);
    if (blocks)
      problems.push(`${budget.metadata.name} lets no pod of ${name} be evicted: node drains would hang`);
  }
  return problems;
}

/**
 * Every variable set is one the app's config reads (a misspelt name is silently ignored otherwise);
 * credentials only come from Secrets; names and ports are unique after the patches merged.
 */
export function environmentProblems({ resources, source }: AppManifests): string[] {
  const problems: string[] = [];
  for (const deployment of deployments(resources)) {
    for (const container of allContainers(deployment)) {
      const where = `${deployment.metadata.name}/${container.name}`;
      const names = (container.env ?? []).map((variable) => variable.name);
      for (const duplicate of names.filter((name, index) => names.indexOf(name) !== index)) {
        problems.push(`${where}: ${duplicate} is set twice`);
      }
      const ports = (container.ports ?? []).map((port) => port.name);
      if (new Set(ports).size !== ports.length) problems.push(`${where}: two ports share a name`);
      for (const variable of container.env ?? []) {
        if (source !== undefined && !new RegExp(`\\b${variable.name}\\b`).test(source.config)) {
          problems.push(`${where}: ${variable.name} is not read by apps/${source.name}/src/config.ts`);
        }
        const secretRef = variable.valueFrom?.secretKeyRef;
        if (
          SECRET_NAMES.test(variable.name) &&
          (secretRef?.name === undefined || secretRef.key === undefined)
        ) {
          problems.push(`${where}: ${variable.name} is a credential and does not come from a Secret`);
        }
        if (variable.value !== undefined && CREDENTIALS_IN_URL.test(variable.value)) {
          problems.push(`${where}: ${variable.name} has credentials in its literal value`);
        }
      }
    }
  }
  return problems;
}

/**
 * The pool formula's `instances` (DB_POOL_INSTANCES or DB_INSTANCES, docs/capacity-*.md) counts every process
 * that can hold a pool at once: each Deployment at its autoscaler maximum (or fixed count) plus its rollout
 * surge. Fewer, and the fleet at its largest opens more connections than the server has.
 */
export function poolProblems({ resources }: AppManifests): string[] {
  const problems: string[] = [];
  const pooled = deployments(resources).filter((deployment) =>
    appContainer(deployment)?.env?.some((variable) => variable.name === 'DATABASE_URL'),
  );
  let peak = 0;
  const declared = new Set<string | undefined>();
  for (const deployment of pooled) {
    const name = deployment.metadata.name;
    const container = appContainer(deployment);
    const variable = container?.env?.find((candidate) => /^DB_(POOL_)?INSTANCES$/.test(candidate.name));
    declared.add(variable?.value);
    if (variable === undefined)
      problems.push(`${name}: holds a pool but sets no DB_POOL_INSTANCES / DB_INSTANCES`);
    const surge = deployment.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
    if (typeof surge !== 'number') problems.push(`${name}: maxSurge ${surge} is not a whole number of pods`);
    const most = autoscalerOf(resources, deployment)?.spec.maxReplicas ?? deployment.spec.replicas ?? 1;
    peak += most + (typeof surge === 'number' ? surge : 0);
  }
  if (declared.size > 1)
    problems.push(`the entries disagree on the pool's instance count: ${[...declared].join(', ')}`);
  for (const value of declared) {
    if (value !== undefined && Number(value) < peak) {
      problems.push(`pool formula counts ${value} instances, but up to ${peak} processes can hold a pool`);
    }
  }
  return problems;
}

/** A Kubernetes quantity as a number (cores or bytes), for comparing a request with its limit. */
function quantity(text: string): number {
  const units: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
  if (match === null) return Number.NaN;
  return Number(match[1]) * (units[match[2] ?? ''] ?? 1);
}
